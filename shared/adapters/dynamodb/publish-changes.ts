import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import { type ItemRef, withinSizeLimit } from '../../events/oversized.ts';
import type { EventPublisher } from '../../ports/event-publisher.ts';
import { toDomainEvent } from './stream-mapping.ts';

const itemRef = (record: DynamoDBRecord): ItemRef | undefined => {
  const keys = record.dynamodb?.Keys;
  if (!keys) return undefined;
  const { pk, sk } = unmarshall(keys as Record<string, AttributeValue>);
  return typeof pk === 'string' && typeof sk === 'string' ? { pk, sk } : undefined;
};

/**
 * Publishes a stream batch in order. On a failure it reports the first failed record, so Lambda
 * retries from there; records after it may be published twice, which consumers dedupe by eventId.
 * An entity too big for one PutEvents entry is published as a reference (shared/events/oversized.ts).
 */
export const publishChanges = async (
  deps: { events: EventPublisher },
  records: DynamoDBRecord[],
): Promise<DynamoDBBatchResponse> => {
  const mapped = records.flatMap((record) => {
    const event = toDomainEvent(record);
    return event ? [{ record, event: withinSizeLimit(event, itemRef(record)) }] : [];
  });
  if (mapped.length === 0) return { batchItemFailures: [] };
  const failed = await deps.events.publish(mapped.map((item) => item.event));
  if (failed.length === 0) return { batchItemFailures: [] };
  const first = mapped[Math.min(...failed)]?.record;
  return { batchItemFailures: [{ itemIdentifier: first?.dynamodb?.SequenceNumber ?? '' }] };
};
