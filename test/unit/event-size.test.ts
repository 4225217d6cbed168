import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { lambdaContext } from '../../infra/local/lambda-event.ts';
import { eventBridgePublisher } from '../../shared/adapters/aws/eventbridge-publisher.ts';
import { publishChanges } from '../../shared/adapters/dynamodb/publish-changes.ts';
import type { BusEvent } from '../../shared/events/domain-event.ts';
import { PUT_EVENTS_MAX_BYTES, putEventsEntrySize } from '../../shared/events/event-size.ts';
import { createBusEventHandler } from '../../shared/events/handler.ts';

const eventBridge = mockClient(EventBridgeClient);
beforeEach(() => {
  eventBridge.reset();
  eventBridge
    .on(PutEventsCommand)
    .callsFake((input) => ({ FailedEntryCount: 0, Entries: input.Entries.map(() => ({ EventId: 'x' })) }));
});

const publisher = () => ({
  events: eventBridgePublisher(new EventBridgeClient({ region: 'us-east-1' }), 'crm-bus'),
});

/** A customer update whose images each carry `kb` KB of notes: the event holds entity and previous. */
const bigUpdate = (n: number, kb: number): DynamoDBRecord => {
  const image = (version: number, fill: string) =>
    marshall({
      pk: `CUSTOMER#${n}`,
      sk: 'PROFILE',
      entityType: 'customer',
      id: String(n),
      version,
      attributes: { notes: fill.repeat(kb * 1024) },
    }) as never;
  return {
    eventID: `e${n}`,
    eventName: 'MODIFY',
    dynamodb: {
      SequenceNumber: String(1000 + n),
      Keys: marshall({ pk: `CUSTOMER#${n}`, sk: 'PROFILE' }) as never,
      OldImage: image(1, 'x'),
      NewImage: image(2, 'y'),
    },
  };
};

const requestBytes = (entries: Parameters<typeof putEventsEntrySize>[0][] = []) =>
  entries.reduce((sum, entry) => sum + putEventsEntrySize(entry), 0);

describe('PutEvents entry size', () => {
  it('counts as EventBridge documents: 14 for Time, UTF-8 bytes of source, detail-type, detail, resources', () => {
    expect(
      putEventsEntrySize({
        Time: new Date(),
        Source: 'crm',
        DetailType: 'customer.updated',
        Detail: '{"name":"李雷"}',
        Resources: ['arn:a'],
      }),
    ).toBe(14 + 3 + 16 + (11 + 6) + 5);
    expect(putEventsEntrySize({ Source: 'crm', DetailType: 'x' })).toBe(4);
  });
});

describe('publishing events of any size', () => {
  it('splits ten 13 KB customer updates into requests under 256 KB, none lost', async () => {
    const records = Array.from({ length: 10 }, (_, i) => bigUpdate(i, 13));
    const result = await publishChanges(publisher(), records);
    expect(result.batchItemFailures).toEqual([]);
    const calls = eventBridge.commandCalls(PutEventsCommand).map((call) => call.args[0].input.Entries ?? []);
    expect(calls.length).toBeGreaterThan(1);
    for (const entries of calls) expect(requestBytes(entries)).toBeLessThanOrEqual(PUT_EVENTS_MAX_BYTES);
    expect(calls.flat().map((entry) => JSON.parse(entry.Detail ?? '{}').eventId)).toEqual(
      records.map((r) => r.eventID),
    );
  });

  it('publishes an entity too big for one entry as a reference the consumer loads', async () => {
    const result = await publishChanges(publisher(), [bigUpdate(1, 1), bigUpdate(2, 300), bigUpdate(3, 1)]);
    expect(result.batchItemFailures).toEqual([]);
    const entries = eventBridge
      .commandCalls(PutEventsCommand)
      .flatMap((call) => call.args[0].input.Entries ?? []);
    expect(entries).toHaveLength(3);
    const reference = JSON.parse(entries[1]?.Detail ?? '{}');
    expect(reference).toEqual({
      eventId: 'e2',
      entity: { id: '2', ref: { pk: 'CUSTOMER#2', sk: 'PROFILE' } },
      changed: ['attributes'],
      oversized: true,
    });
    for (const entry of entries) expect(putEventsEntrySize(entry)).toBeLessThanOrEqual(PUT_EVENTS_MAX_BYTES);

    const loaded = { id: '2', name: 'Big', attributes: { notes: 'x'.repeat(300 * 1024) } };
    const seen: BusEvent[] = [];
    const handler = createBusEventHandler(
      () => ({
        items: {
          load: async (ref: { pk: string; sk: string }) => (ref.pk === 'CUSTOMER#2' ? loaded : undefined),
        },
      }),
      async (_deps, event) => void seen.push(event),
    );
    const envelope = { version: '0', id: 'b', 'detail-type': 'customer.updated', source: 'crm' } as const;
    await handler(
      { ...envelope, account: '1', time: '', region: 'x', resources: [], detail: reference },
      lambdaContext('crm-test'),
    );
    expect(seen[0]?.detail).toEqual({ eventId: 'e2', entity: loaded, changed: ['attributes'] });
  });
});
