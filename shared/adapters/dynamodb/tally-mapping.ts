import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { CampaignCounter } from '../../domain/campaign.ts';
import type { EventPattern } from '../../domain/event-pattern.ts';
import { finalStatuses } from '../../domain/message.ts';
import type { Tally } from '../../ports/campaign-repositories.ts';

/** The item types whose changes move campaign counters; the stream's filter lets only these through. */
export const TALLIED_ENTITIES = ['touchpoint', 'message', 'survey', 'satisfaction'] as const;

/** The counters reader's event source filter, in CDK and in the local poller alike. */
export const TALLIED_RECORD_FILTERS: EventPattern[] = [
  { dynamodb: { NewImage: { entityType: { S: [...TALLIED_ENTITIES] } } } },
];

const image = (value: unknown) =>
  value ? (unmarshall(value as Record<string, AttributeValue>) as Record<string, unknown>) : undefined;

/**
 * The counter changes a table change means: a touchpoint planned is `scheduled`; a message that
 * reaches a final status counts once under it (`sent`, `suppressed`, `failed`, `holdout`), however
 * many writes it took; a survey opened counts under `surveys`. Anything else counts nothing.
 */
export const tallyOf = (record: DynamoDBRecord): Tally | undefined => {
  const next = image(record.dynamodb?.NewImage);
  const previous = image(record.dynamodb?.OldImage);
  const campaignId = next?.campaignId as string | undefined;
  if (!record.eventID || !next || !campaignId) return undefined;
  const counts: Tally['counts'] = {};
  switch (next.entityType) {
    case 'touchpoint':
      if (record.eventName === 'INSERT') counts.scheduled = 1;
      break;
    case 'survey':
      if (record.eventName === 'INSERT') counts.surveys = 1;
      break;
    case 'message': {
      const status = next.status as string | undefined;
      if (status && status !== previous?.status && (finalStatuses as readonly string[]).includes(status)) {
        counts[status as CampaignCounter] = 1;
      }
      break;
    }
  }
  return Object.keys(counts).length > 0 ? { id: record.eventID, campaignId, counts } : undefined;
};
