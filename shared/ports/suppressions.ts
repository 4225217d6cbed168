import type { Page } from '../domain/common.ts';
import type { Channel, Suppression, SuppressionReasonCode } from '../domain/suppression.ts';
import type { OptOutList } from './campaign-repositories.ts';
import type { PageRequest } from './repositories.ts';

/**
 * The one suppression list. `isOptedOut` is what every send checks; `optOut`/`optIn` (from
 * OptOutList) remain for callers that only know a reason text.
 */
export interface SuppressionList extends OptOutList {
  get(channel: Channel, address: string): Promise<Suppression | undefined>;
  /** False when the address was suppressed already (the first entry stays). */
  add(entry: Suppression): Promise<boolean>;
  /** Removes the entry when its reason is one of `reasons` (all when omitted); returns what was removed. */
  remove(
    channel: Channel,
    address: string,
    reasons?: SuppressionReasonCode[],
  ): Promise<Suppression | undefined>;
  list(filter: { channel?: Channel | undefined }, page: PageRequest): Promise<Page<Suppression>>;
}
