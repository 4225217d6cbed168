import type { Goal } from '../domain/campaign.ts';
import type { CounterDelta } from './event-counters.ts';

/**
 * A customer's exposure to a campaign: their first message that was sent or held out. Kept in the
 * customer's partition, so a purchase finds every exposure of its customer with one Query.
 */
export interface Exposure {
  customerId: string;
  campaignId: string;
  messageId: string;
  sentAt: string;
  holdout: boolean;
  variant?: string | undefined;
  /** The campaign's goal when the message went; absent when it had none (nothing to convert). */
  goal?: Goal | undefined;
  /** Categories of the items the message was about (for a `sameCategory` goal). */
  categories: string[];
  /** Set once, by the first matching purchase. */
  convertedAt?: string | undefined;
  convertedBy?: string | undefined;
}

export interface ExposureStore {
  /** Writes the exposure unless the customer has one for the campaign already (first message wins). */
  record(exposure: Exposure): Promise<void>;
  get(customerId: string, campaignId: string): Promise<Exposure | undefined>;
  /** All of a customer's exposures (one Query on their partition). */
  ofCustomer(customerId: string): Promise<Exposure[]>;
  /**
   * Marks the exposure converted by `purchaseId` and ADDs `deltas` to the report counters, in one
   * transaction; 'already' (and nothing added) when it was converted before, by any purchase.
   */
  /**
   * ADDs each entry's deltas once per entry id (a marker per id, in the same transaction as the
   * summed ADDs), so a redelivered stream batch counts nothing twice.
   */
  countOnce(entries: { id: string; deltas: CounterDelta[] }[], now: Date): Promise<void>;
  convert(
    exposure: Exposure,
    conversion: { purchaseId: string; at: string },
    deltas: CounterDelta[],
  ): Promise<'converted' | 'already'>;
}
