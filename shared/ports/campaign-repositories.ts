import type { Campaign, CampaignCounter, CampaignStats } from '../domain/campaign.ts';
import type { Page } from '../domain/common.ts';
import type { Message } from '../domain/message.ts';
import type { Survey } from '../domain/survey.ts';
import type { Touchpoint } from '../domain/touchpoint.ts';
import type { PageRequest, VersionedStore } from './repositories.ts';

export interface CampaignRepository extends VersionedStore<Campaign> {
  delete(id: string): Promise<void>;
  list(filter: { status?: string | undefined }, page: PageRequest): Promise<Page<Campaign>>;
  activeLifecycle(): Promise<Campaign[]>;
  stats(id: string): Promise<CampaignStats>;
}

export interface TouchpointRepository {
  /** Stores a planned touchpoint and counts it as scheduled; false when it was planned already. */
  add(touchpoint: Touchpoint): Promise<boolean>;
  get(customerId: string, id: string): Promise<Touchpoint | undefined>;
  pending(customerId: string): Promise<Touchpoint[]>;
  setStatus(touchpoint: Touchpoint, status: Touchpoint['status']): Promise<void>;
}

export type LedgerClaim =
  | { state: 'claimed'; message: Message }
  /** Another delivery holds it, or it finished: do nothing. */
  | { state: 'done'; message: Message }
  /** A delivery died after claiming; it may or may not have sent, so it is not sent again. */
  | { state: 'interrupted'; message: Message };

/** The message ledger: one record per touchpoint (or broadcast recipient), claimed before any send. */
export interface MessageLedger {
  claim(message: Message, now: Date): Promise<LedgerClaim>;
  /**
   * Writes the final state and the campaign counters together (and, for a survey SMS, opens the
   * survey in the same transaction); only a held claim can finish.
   */
  finish(
    message: Message,
    counters: Partial<Record<CampaignCounter, number>>,
    survey?: Survey,
  ): Promise<void>;
  /** Gives the claim back after a send error, so the scheduler's retry can send. */
  release(message: Message): Promise<void>;
  list(
    filter: { customerId?: string | undefined; campaignId?: string | undefined },
    page: PageRequest,
  ): Promise<Page<Message>>;
}

export interface OptOutList {
  isOptedOut(channel: 'email' | 'sms', address: string): Promise<boolean>;
  optOut(channel: 'email' | 'sms', address: string, reason: string, at: Date): Promise<void>;
  optIn(channel: 'email' | 'sms', address: string): Promise<void>;
}

export interface FrequencyCap {
  /** Claims the customer's marketing slot for a local day; the same message may claim it again. */
  claim(customerId: string, localDay: string, messageId: string): Promise<boolean>;
}
