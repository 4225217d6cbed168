import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { eventBridgePublisher } from '../../shared/adapters/aws/eventbridge-publisher.ts';
import { publishChanges } from '../../shared/adapters/dynamodb/publish-changes.ts';

const eventBridge = mockClient(EventBridgeClient);
beforeEach(() => eventBridge.reset());

const customerInsert = (n: number): DynamoDBRecord => ({
  eventID: `e${n}`,
  eventName: 'INSERT',
  dynamodb: {
    SequenceNumber: String(1000 + n),
    NewImage: marshall({
      pk: `CUSTOMER#${n}`,
      sk: 'PROFILE',
      entityType: 'customer',
      id: String(n),
      name: `c${n}`,
    }) as never,
  },
});
const phoneInsert = (n: number): DynamoDBRecord => ({
  eventID: `p${n}`,
  eventName: 'INSERT',
  dynamodb: {
    SequenceNumber: String(5000 + n),
    NewImage: marshall({ pk: `PHONE#${n}`, sk: 'PHONE' }) as never,
  },
});

const publisher = () => ({
  events: eventBridgePublisher(new EventBridgeClient({ region: 'us-east-1' }), 'crm-bus'),
});

describe('publishing stream batches to EventBridge', () => {
  it('sends at most 10 entries per PutEvents call, in order, to the bus', async () => {
    eventBridge
      .on(PutEventsCommand)
      .callsFake((input) => ({ FailedEntryCount: 0, Entries: input.Entries.map(() => ({ EventId: 'x' })) }));
    const records = Array.from({ length: 23 }, (_, i) => customerInsert(i));
    const result = await publishChanges(publisher(), [...records, phoneInsert(1)]);
    expect(result.batchItemFailures).toEqual([]);
    const calls = eventBridge.commandCalls(PutEventsCommand);
    expect(calls.map((call) => call.args[0].input.Entries?.length)).toEqual([10, 10, 3]);
    const first = calls[0]?.args[0].input.Entries?.[0];
    expect(first).toMatchObject({ EventBusName: 'crm-bus', Source: 'crm', DetailType: 'customer.created' });
    expect(JSON.parse(first?.Detail ?? '{}')).toMatchObject({
      eventId: 'e0',
      entity: { id: '0', name: 'c0' },
      changed: ['id', 'name'],
    });
  });

  it('reports the first failed entry so the stream retries from there', async () => {
    eventBridge
      .on(PutEventsCommand)
      .resolvesOnce({ FailedEntryCount: 0, Entries: Array.from({ length: 10 }, () => ({ EventId: 'ok' })) })
      .resolvesOnce({
        FailedEntryCount: 2,
        Entries: [
          { EventId: 'ok' },
          { ErrorCode: 'ThrottlingException' },
          { EventId: 'ok' },
          { ErrorCode: 'InternalFailure' },
        ],
      });
    const records = Array.from({ length: 14 }, (_, i) => customerInsert(i));
    const result = await publishChanges(publisher(), records);
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: '1011' }]);
  });

  it('treats a failed call as a failure of that chunk and everything after it', async () => {
    eventBridge
      .on(PutEventsCommand)
      .resolvesOnce({ FailedEntryCount: 0, Entries: Array.from({ length: 10 }, () => ({})) })
      .rejects(new Error('throttled'));
    const records = Array.from({ length: 25 }, (_, i) => customerInsert(i));
    const result = await publishChanges(publisher(), records);
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: '1010' }]);
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(2);
  });

  it('publishes nothing for a batch of index items', async () => {
    const result = await publishChanges(publisher(), [phoneInsert(1), phoneInsert(2)]);
    expect(result.batchItemFailures).toEqual([]);
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(0);
  });
});
