import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import { toDomainEvent } from '../events/stream-mapping.ts';
import type { EventPublisher } from '../ports/event-publisher.ts';

/**
 * Publishes a stream batch in order. On a failure it reports the first failed record, so Lambda
 * retries from there; records after it may be published twice, which consumers dedupe by eventId.
 */
export const publishChanges = async (
  deps: { events: EventPublisher },
  records: DynamoDBRecord[],
): Promise<DynamoDBBatchResponse> => {
  const mapped = records.flatMap((record) => {
    const event = toDomainEvent(record);
    return event ? [{ record, event }] : [];
  });
  if (mapped.length === 0) return { batchItemFailures: [] };
  const failed = await deps.events.publish(mapped.map((item) => item.event));
  if (failed.length === 0) return { batchItemFailures: [] };
  const first = mapped[Math.min(...failed)]?.record;
  return { batchItemFailures: [{ itemIdentifier: first?.dynamodb?.SequenceNumber ?? '' }] };
};
