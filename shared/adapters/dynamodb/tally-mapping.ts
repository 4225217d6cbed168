import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { CampaignCounter } from '../../domain/campaign.ts';
import type { EventPattern } from '../../domain/event-pattern.ts';
import { finalStatuses } from '../../domain/message.ts';
import { answerCounters, type Satisfaction } from '../../domain/survey.ts';
import type { SummaryTally, Tally } from '../../ports/campaign-repositories.ts';

/** The item types whose changes move counters; the stream's filter lets only these through. */
export const TALLIED_ENTITIES = ['touchpoint', 'message', 'survey', 'satisfaction', 'inbound-sms'] as const;

/** The summary row that counts replies matching no survey. */
export const UNMATCHED_SUMMARY = '(unmatched)';

/** The same counts on the campaign's summary row and, when there is one, the sku's. */
const summariesOf = (item: Record<string, unknown>, counts: Record<string, number>): SummaryTally[] => [
  { groupBy: 'campaign', key: String(item.campaignId), counts },
  ...(typeof item.sku === 'string' ? [{ groupBy: 'sku' as const, key: item.sku, counts }] : []),
];

/** The counters reader's event source filter, in CDK and in the local poller alike. */
export const TALLIED_RECORD_FILTERS: EventPattern[] = [
  { dynamodb: { NewImage: { entityType: { S: [...TALLIED_ENTITIES] } } } },
];

const image = (value: unknown) =>
  value ? (unmarshall(value as Record<string, AttributeValue>) as Record<string, unknown>) : undefined;

/**
 * The counter changes a table change means: a touchpoint planned is `scheduled`; a message that
 * reaches a final status counts once under it (`sent`, `suppressed`, `failed`, `holdout`), however
 * many writes it took; a survey opened counts under `surveys`, on the campaign and on its summary
 * rows; an answer (a satisfaction record written) counts a reply and its score there too, and a
 * reply kept as `unmatched` counts on the unmatched row. Anything else counts nothing.
 */
export const tallyOf = (record: DynamoDBRecord): Tally | undefined => {
  const next = image(record.dynamodb?.NewImage);
  const previous = image(record.dynamodb?.OldImage);
  const campaignId = next?.campaignId as string | undefined;
  if (!record.eventID || !next) return undefined;
  const inserted = record.eventName === 'INSERT';
  if (next.entityType === 'inbound-sms') {
    // Written once per inbound message (its put is conditional); only an unmatched one counts.
    return inserted && next.outcome === 'unmatched'
      ? {
          id: record.eventID,
          counts: {},
          summaries: [{ groupBy: 'campaign', key: UNMATCHED_SUMMARY, counts: { replies: 1 } }],
        }
      : undefined;
  }
  if (!campaignId) return undefined;
  const counts: Tally['counts'] = {};
  let summaries: SummaryTally[] = [];
  switch (next.entityType) {
    case 'touchpoint':
      if (inserted) counts.scheduled = 1;
      break;
    case 'survey':
      if (inserted) {
        counts.surveys = 1;
        summaries = summariesOf(next, { surveys: 1 });
      }
      break;
    case 'satisfaction':
      if (inserted) {
        const score = next.score as Satisfaction['score'];
        counts.replies = 1;
        counts[score] = 1;
        summaries = summariesOf(
          next,
          answerCounters(next as Pick<Satisfaction, 'score' | 'rating' | 'scale'>),
        );
      }
      break;
    case 'message': {
      const status = next.status as string | undefined;
      if (status && status !== previous?.status && (finalStatuses as readonly string[]).includes(status)) {
        counts[status as CampaignCounter] = 1;
      }
      break;
    }
  }
  return Object.keys(counts).length > 0 || summaries.length > 0
    ? { id: record.eventID, campaignId, counts, ...(summaries.length ? { summaries } : {}) }
    : undefined;
};
