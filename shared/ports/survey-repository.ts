import type { Page } from '../domain/common.ts';
import type { InboundOutcome, InboundSms, Satisfaction, SummaryRow, Survey } from '../domain/survey.ts';
import type { PageRequest } from './repositories.ts';

export interface InboundRecord {
  payload: InboundSms;
  outcome: InboundOutcome;
  surveyId?: string;
  receivedAt: string;
}

export interface SurveyRepository {
  byProviderMessageId(providerMessageId: string): Promise<Survey | undefined>;
  /** The newest open survey for this phone, or else its latest recent survey (to keep a late reply against it). */
  latestFor(phone: string, now: Date): Promise<Survey | undefined>;
  get(id: string): Promise<Survey | undefined>;
  /**
   * Records the answer: the satisfaction record, the survey closed, the counters, and the inbound
   * message itself, in one transaction. 'duplicate' when this inbound message was handled already,
   * 'already-answered' when an earlier answer won.
   */
  answer(
    satisfaction: Satisfaction,
    survey: Survey,
    inbound: InboundRecord,
  ): Promise<'scored' | 'duplicate' | 'already-answered'>;
  /** Keeps an inbound message that scores nothing; false when it was handled already. */
  keep(inbound: InboundRecord): Promise<boolean>;
  satisfactionOf(surveyId: string): Promise<Satisfaction | undefined>;
  list(
    filter: { customerId?: string; campaignId?: string; sku?: string },
    page: PageRequest,
  ): Promise<Page<Satisfaction>>;
  /** The summary rows, and how many replies matched no survey (unknown numbers, no survey sent). */
  summary(groupBy: 'sku' | 'campaign'): Promise<{ rows: SummaryRow[]; unmatchedReplies: number }>;
}
