import type { Campaign, CampaignCounter, CampaignStats } from '../domain/campaign.ts';
import type { Page } from '../domain/common.ts';
import type { Message } from '../domain/message.ts';
import type { Survey } from '../domain/survey.ts';
import type { Touchpoint } from '../domain/touchpoint.ts';
import type { PageRequest, VersionedStore } from './repositories.ts';

/** What one stream record adds to a satisfaction summary row (GET /satisfaction/summary). */
export interface SummaryTally {
  groupBy: 'sku' | 'campaign';
  key: string;
  counts: Record<string, number>;
}

/** What one stream record adds to one campaign's counters, and to the satisfaction summary rows. */
export interface Tally {
  /** The stream record's id: counting it twice is refused. */
  id: string;
  /** Absent when the record counts for no campaign (a reply that matched no survey). */
  campaignId?: string | undefined;
  counts: Partial<Record<CampaignCounter, number>>;
  summaries?: SummaryTally[];
}

export interface CampaignRepository extends VersionedStore<Campaign> {
  delete(id: string): Promise<void>;
  list(filter: { status?: string | undefined }, page: PageRequest): Promise<Page<Campaign>>;
  activeLifecycle(): Promise<Campaign[]>;
  stats(id: string): Promise<CampaignStats>;
}

export interface TouchpointRepository {
  /** Stores a planned touchpoint; false when it was planned already. */
  add(touchpoint: Touchpoint): Promise<boolean>;
  get(customerId: string, id: string): Promise<Touchpoint | undefined>;
  /**
   * The customer's touchpoints that have not fired: still `scheduled` and without a ledger entry
   * (a delivery records its outcome there, not on the touchpoint).
   */
  pending(customerId: string): Promise<Touchpoint[]>;
  /** How many shards `ofCampaign` spreads a campaign's touchpoints over. */
  readonly shards: number;
  /** A page of a campaign's touchpoints that have not fired (as `pending`) in one of its `shards` shards (0-based). */
  ofCampaign(campaignId: string, shard: number, page: PageRequest): Promise<Page<Touchpoint>>;
  /** Moves a still-scheduled touchpoint to a new time (its schedule is replaced separately). */
  reschedule(touchpoint: Touchpoint, fireAt: string): Promise<void>;
  /** Planning's own changes (cancelled); a delivery's outcome is its ledger entry. */
  setStatus(touchpoint: Touchpoint, status: Touchpoint['status']): Promise<void>;
}

/** What `claim` or `decide` found when the message was not free to take. */
export type LedgerConflict =
  /** It ended already (sent, suppressed, failed, holdout): nothing to do. */
  | { state: 'final'; message: Message }
  /** Another delivery holds its lease right now: that one will finish it. */
  | { state: 'busy' }
  /** A delivery took the lease and died before finishing: it may have sent, so it is not sent again. */
  | { state: 'interrupted'; message: Message; lease: number };

export type LedgerClaim = { state: 'claimed'; attempts: number; lease: number } | LedgerConflict;

/** Campaign counters and satisfaction summaries, kept by the stream (shared/adapters/dynamodb/tally-campaigns.ts). */
export interface CampaignTallies {
  /** Adds each record's counts once, however often the same records arrive. */
  apply(tallies: Tally[], now: Date): Promise<void>;
}

/**
 * The message ledger: one record per touchpoint (or broadcast recipient). A message is free while
 * it has no final status and no delivery holds its lease. A delivery takes the lease just before
 * it calls the provider (`claim`), and gives it back either with the final status (`finish`) or,
 * after a provider error, without one (`release`), so the platform's retry can send. Decisions
 * that need no send (deferred, suppressed, failed before sending) are written with `decide`.
 */
export interface MessageLedger {
  /** Takes the lease until `leaseUntil` (epoch ms) and counts an attempt. */
  claim(message: Message, leaseUntil: number, now: Date): Promise<LedgerClaim>;
  /** Writes a decision on a free message; the message's status says which. */
  decide(message: Message): Promise<{ state: 'decided' } | LedgerConflict>;
  /** Writes the final status while holding `lease` (and, for a survey SMS, opens the survey). */
  finish(message: Message, lease: number, survey?: Survey): Promise<void>;
  /** Ends an interrupted delivery as failed, unless someone else ended it first. */
  closeInterrupted(message: Message, lease: number): Promise<void>;
  /**
   * Ends a message whose delivery the platform gave up on (its last retry failed) as `failed`,
   * unless it is final already or a delivery holds a live lease. `absent`: no decision was ever
   * written (at most a claim), so nothing is listed with a status and nothing needs closing.
   */
  abandon(messageId: string, reason: string, now: Date): Promise<'closed' | 'final' | 'busy' | 'absent'>;
  /** Gives the lease back after a provider error, so the platform's retry can send. */
  release(message: Message, lease: number): Promise<void>;
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
