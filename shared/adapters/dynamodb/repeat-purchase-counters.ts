import { GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { RepeatGroup } from '../../domain/repeat-purchases.ts';
import type { MonthFigures, RepeatPurchaseCounters, RepeatState } from '../../ports/repeat-purchases.ts';
import { queryAll } from './cursor.ts';
import { keys, SHARDS, shardOf } from './keys.ts';
import type { Table } from './table.ts';
import { conditionalWrite, isTransactionConflict } from './write-failures.ts';

/** The counters' partitions: `REPORT#repeat#shard` (by customer), one item per month in each. */
const partition = (shard: number) => `repeat#${String(shard).padStart(2, '0')}`;
const GROUPS: RepeatGroup[] = ['reminded', 'heldOut'];
const field = (group: RepeatGroup, kind: 'BOUGHT' | 'AGAIN') =>
  kind === 'BOUGHT' ? `${group}Buyers` : `${group}RepeatBuyers`;

/** Fixed-width UTC, so keys compare as strings in time order. */
const utc = (instant: string) => new Date(instant).toISOString();

const withConflictRetry = async <T>(write: () => Promise<T>): Promise<T> => {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      // Another transaction touched the same counter item; it is over in milliseconds.
      if (!isTransactionConflict(error) || attempt >= 6) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * 2 ** attempt));
    }
  }
};

/**
 * Repeat-purchase counters on the one table. Distinct customers are counted with a marker item per
 * customer, month and group (`BOUGHT#…`, `AGAIN#…`), put on condition of its absence in the same
 * transaction as the counter's ADD: a customer counts once per month however many purchases or
 * redeliveries arrive. Counter partitions are sharded by customer (16), so no key is hot.
 */
export const dynamoRepeatPurchaseCounters = ({ client, name }: Table): RepeatPurchaseCounters => {
  /** Counts the customer once under `kind` for the month and group; a second time is a no-op. */
  const once = (customerId: string, kind: 'BOUGHT' | 'AGAIN', month: string, group: RepeatGroup) =>
    withConflictRetry(() =>
      conditionalWrite(() =>
        client.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: name,
                  Item: keys.repeatMarker(customerId, kind, month, group),
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
              {
                Update: {
                  TableName: name,
                  Key: keys.reportCounter(partition(shardOf(customerId)), month),
                  UpdateExpression: 'ADD #f :one',
                  ExpressionAttributeNames: { '#f': field(group, kind) },
                  ExpressionAttributeValues: { ':one': 1 },
                },
              },
            ],
          }),
        ),
      ),
    );

  const state = async (customerId: string): Promise<RepeatState> => {
    const { Item } = await client.send(
      new GetCommand({ TableName: name, Key: keys.repeatState(customerId), ConsistentRead: true }),
    );
    if (!Item) return {};
    const { displaced, ...rest } = Item as Record<string, unknown>;
    return {
      remindedAt: rest.remindedAt as string | undefined,
      heldOutAt: rest.heldOutAt as string | undefined,
      first: rest.first as string | undefined,
      firstMonth: rest.firstMonth as string | undefined,
      firstGroup: rest.firstGroup as RepeatGroup | undefined,
      displaced: displaced instanceof Set ? [...(displaced as Set<string>)] : undefined,
    };
  };

  return {
    async mark(customerId, mark, at) {
      // The earliest time wins, so redeliveries and late arrivals of older messages agree.
      await conditionalWrite(() =>
        client.send(
          new UpdateCommand({
            TableName: name,
            Key: keys.repeatState(customerId),
            UpdateExpression: 'SET #m = :at',
            ConditionExpression: 'attribute_not_exists(#m) OR #m > :at',
            ExpressionAttributeNames: { '#m': mark },
            ExpressionAttributeValues: { ':at': utc(at) },
          }),
        ),
      );
    },

    state,

    async count(purchase, seen) {
      const { customerId, month, group } = purchase;
      const key = `${utc(purchase.purchasedAt)}#${purchase.purchaseId}`;
      if (group) await once(customerId, 'BOUGHT', month, group);
      // Which (month, group) pairs now hold a purchase that is not the customer's first.
      let repeats: string[] = [];
      for (let current = seen; ; current = await state(customerId)) {
        if (current.first === key) {
          // A redelivery of the first purchase: finish what displacing others may have left undone.
          repeats = current.displaced ?? [];
          break;
        }
        if (current.first !== undefined && current.first < key) {
          repeats = group ? [`${month}#${group}`] : [];
          break;
        }
        // The earliest purchase so far (imports may bring older receipts later): the former first
        // purchase becomes a repeat in its own month and group.
        const displaced =
          current.first !== undefined && current.firstGroup !== undefined
            ? `${current.firstMonth}#${current.firstGroup}`
            : undefined;
        const result = await conditionalWrite(() =>
          client.send(
            new UpdateCommand({
              TableName: name,
              Key: keys.repeatState(customerId),
              UpdateExpression: `SET #first = :key, firstMonth = :month${group ? ', firstGroup = :group' : ''}${
                displaced ? ' ADD displaced :displaced' : ''
              }${group ? '' : ' REMOVE firstGroup'}`,
              ConditionExpression:
                current.first === undefined ? 'attribute_not_exists(#first)' : '#first = :previous',
              ExpressionAttributeNames: { '#first': 'first' },
              ExpressionAttributeValues: {
                ':key': key,
                ':month': month,
                ...(group ? { ':group': group } : {}),
                ...(displaced ? { ':displaced': new Set([displaced]) } : {}),
                ...(current.first !== undefined ? { ':previous': current.first } : {}),
              },
            }),
          ),
        );
        if (result.written) {
          repeats = [...new Set([...(current.displaced ?? []), ...(displaced ? [displaced] : [])])];
          break;
        }
        // Another purchase of the same customer moved `first` meanwhile: read again and decide anew.
      }
      for (const pair of repeats) {
        const [pairMonth, pairGroup] = pair.split('#') as [string, RepeatGroup];
        await once(customerId, 'AGAIN', pairMonth, pairGroup);
      }
    },

    async read(fromMonth, toMonth) {
      // One Query per shard, at most 36 items each, in parallel.
      const shards = await Promise.all(
        Array.from({ length: SHARDS }, (_, shard) =>
          queryAll(client, {
            TableName: name,
            KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
            ExpressionAttributeValues: {
              ':pk': keys.reportPartition(partition(shard)),
              ':from': fromMonth,
              ':to': toMonth,
            },
          }),
        ),
      );
      const items = shards.flat();
      const months = new Map<string, Record<RepeatGroup, MonthFigures>>();
      for (const item of items) {
        const month = String(item.sk).slice(0, 7);
        const figures = months.get(month) ?? {
          reminded: { buyers: 0, repeatBuyers: 0 },
          heldOut: { buyers: 0, repeatBuyers: 0 },
        };
        for (const group of GROUPS) {
          figures[group].buyers += Number(item[field(group, 'BOUGHT')] ?? 0);
          figures[group].repeatBuyers += Number(item[field(group, 'AGAIN')] ?? 0);
        }
        months.set(month, figures);
      }
      return months;
    },
  };
};
