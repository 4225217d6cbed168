import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { CounterDelta, EventCounters } from '../../ports/event-counters.ts';
import { queryAll } from './cursor.ts';
import { keys } from './keys.ts';
import type { Table } from './table.ts';
import { failedConditions } from './write-failures.ts';

/** How long an event id is remembered; redeliveries (stream retries, EventBridge retries) come within hours. */
const DEDUPE_DAYS = 7;
/** A transaction holds at most 100 items; one is the marker. */
const MAX_ITEMS = 99;

/**
 * The ADDs a set of deltas makes: summed per counter item, zero sums dropped, one Update per item.
 * Shared by every writer of report counters (this store, the conversion store).
 */
export const counterUpdates = (tableName: string, deltas: CounterDelta[]) => {
  const items = new Map<string, { partition: string; key: string; fields: Map<string, number> }>();
  for (const { partition, key, field, n } of deltas) {
    const id = `${partition}\u0000${key}`;
    const item = items.get(id) ?? { partition, key, fields: new Map<string, number>() };
    item.fields.set(field, (item.fields.get(field) ?? 0) + n);
    items.set(id, item);
  }
  return [...items.values()]
    .map(({ partition, key, fields }) => ({ partition, key, fields: [...fields].filter(([, n]) => n !== 0) }))
    .filter(({ fields }) => fields.length > 0)
    .map(({ partition, key, fields }) => ({
      Update: {
        TableName: tableName,
        Key: keys.reportCounter(partition, key),
        UpdateExpression: `ADD ${fields.map((_, i) => `#f${i} :n${i}`).join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(fields.map(([field], i) => [`#f${i}`, field])),
        ExpressionAttributeValues: Object.fromEntries(fields.map(([, n], i) => [`:n${i}`, n])),
      },
    }));
};

/**
 * Event-sourced counters, reusable by any consumer of at-least-once events: the deltas are summed
 * per counter item and ADDed in one transaction together with a conditional marker for the event
 * id, so a redelivered event finds the marker and changes nothing. Each item is one row of one
 * partition (e.g. one salesperson's day), so no single item takes every write.
 */
export const dynamoEventCounters = ({ client, name }: Table, now: () => Date): EventCounters => ({
  async apply(eventId, deltas) {
    const updates = counterUpdates(name, deltas);
    if (updates.length === 0) return 'empty';
    if (updates.length > MAX_ITEMS) throw new Error(`one event may touch at most ${MAX_ITEMS} counter items`);
    try {
      await client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: name,
                Item: {
                  ...keys.countedEvent(eventId),
                  ttl: Math.floor(now().getTime() / 1000) + DEDUPE_DAYS * 86_400,
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            ...updates,
          ],
        }),
      );
      return 'applied';
    } catch (error) {
      // The marker (item 0) exists: the event was counted before.
      if (failedConditions(error)?.includes(0)) return 'duplicate';
      throw error;
    }
  },

  async read(partition, fromKey, toKey) {
    const range = fromKey !== undefined && toKey !== undefined;
    const items = await queryAll(client, {
      TableName: name,
      KeyConditionExpression: range ? 'pk = :pk AND sk BETWEEN :from AND :to' : 'pk = :pk',
      ExpressionAttributeValues: {
        ':pk': keys.reportPartition(partition),
        ...(range ? { ':from': fromKey, ':to': toKey } : {}),
      },
    });
    return items.map(({ pk: _pk, sk, ...values }) => ({
      key: String(sk),
      values: values as Record<string, number>,
    }));
  },
});
