import type { Page } from '../domain/common.ts';
import type { Suppression, SuppressionReasonCode } from '../domain/suppression.ts';
import type { InboundOutcome, InboundSms, Satisfaction, SummaryRow, Survey } from '../domain/survey.ts';
import type { PageRequest, TimelineNote } from './repositories.ts';

export interface InboundRecord {
  payload: InboundSms;
  outcome: InboundOutcome;
  surveyId?: string;
  receivedAt: string;
  /** The sender in E.164; indexes the record so erasing a customer finds the texts they sent. */
  phone: string;
}

/**
 * What a reply changes besides the survey: written in the same transaction as the inbound record,
 * so a redelivery after a crash can never find the record written and the opt-out lost.
 */
export interface InboundEffects {
  suppress?: Suppression;
  unsuppress?: { channel: Suppression['channel']; address: string; reasons: SuppressionReasonCode[] };
  notes?: TimelineNote[];
}

export interface SurveyRepository {
  /** The survey this phone was asked in the SMS the provider calls `providerMessageId`. */
  byProviderMessageId(phone: string, providerMessageId: string): Promise<Survey | undefined>;
  /** The newest open survey for this phone, or else its latest recent survey (to keep a late reply against it). */
  latestFor(phone: string, now: Date): Promise<Survey | undefined>;
  get(id: string): Promise<Survey | undefined>;
  /**
   * Records the answer: the satisfaction record, the survey closed and the inbound message itself
   * (with its effects), each written once however often the reply arrives; the stream counts it. 'duplicate' when this inbound message was handled already,
   * 'already-answered' when an earlier answer won.
   */
  answer(
    satisfaction: Satisfaction,
    survey: Survey,
    inbound: InboundRecord,
    effects?: InboundEffects,
  ): Promise<'scored' | 'duplicate' | 'already-answered'>;
  /** Keeps an inbound message that scores nothing (with its effects); false when it was handled already. */
  keep(inbound: InboundRecord, effects?: InboundEffects): Promise<boolean>;
  satisfactionOf(surveyId: string): Promise<Satisfaction | undefined>;
  list(
    filter: { customerId?: string; campaignId?: string; sku?: string },
    page: PageRequest,
  ): Promise<Page<Satisfaction>>;
  /** The summary rows, and how many replies matched no survey (unknown numbers, no survey sent). */
  summary(groupBy: 'sku' | 'campaign'): Promise<{ rows: SummaryRow[]; unmatchedReplies: number }>;
}
