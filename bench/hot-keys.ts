import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import type { RunningDynamo } from '../infra/local/dynamodb.ts';
import { keys } from '../shared/adapters/dynamodb/keys.ts';
import type { Table } from '../shared/adapters/dynamodb/table.ts';
import { CustomerInput } from '../shared/domain/customer.ts';
import { PurchaseInput } from '../shared/domain/purchase.ts';
import { createCustomer } from '../shared/use-cases/customers.ts';
import { putProduct } from '../shared/use-cases/products.ts';
import { recordPurchase } from '../shared/use-cases/purchases.ts';
import { benchDeps } from './setup.ts';
import { fmt, type Section } from './stats.ts';

type Item = Record<string, unknown>;
const INDEXES = ['gsi1', 'gsi2', 'gsi3'] as const;

/**
 * Counts item writes per partition, the way DynamoDB spreads them: a write lands on its table
 * partition (pk) and on one partition of every index whose key the item carries. Index keys come
 * from the write itself (a Put's item, an Update's SET) or, for an Update or Delete that does not
 * name them, from the last time this client saw the item (written, or read back).
 */
export const partitionWrites = (table: Table) => {
  const counts = new Map<string, number>();
  const known = new Map<string, Record<string, string>>();
  const itemKey = (key: Item) => `${key.pk}\u0000${key.sk}`;
  const indexKeysOf = (item: Item) =>
    Object.fromEntries(
      INDEXES.flatMap((i) => (typeof item[`${i}pk`] === 'string' ? [[i, item[`${i}pk`]]] : [])),
    );
  const count = (where: string, key: unknown) => {
    const id = `${where} ${String(key)}`;
    counts.set(id, (counts.get(id) ?? 0) + 1);
  };
  const remember = (item: Item) => {
    if (item.pk !== undefined) known.set(itemKey(item), indexKeysOf(item) as Record<string, string>);
  };
  const onPut = (item: Item) => {
    const previous = known.get(itemKey(item)) ?? {};
    remember(item);
    count('table', item.pk);
    // An index entry moved by this write costs its old partition a delete, too.
    for (const [index, pk] of Object.entries({ ...previous, ...indexKeysOf(item) })) count(index, pk);
  };
  const onUpdate = (input: Item) => {
    const key = input.Key as Item;
    const names = (input.ExpressionAttributeNames ?? {}) as Record<string, string>;
    const values = (input.ExpressionAttributeValues ?? {}) as Record<string, unknown>;
    const set: Record<string, string> = {};
    for (const [, name, value] of String(input.UpdateExpression ?? '').matchAll(/([#\w]+)\s*=\s*(:\w+)/g)) {
      const attribute = names[name as string] ?? (name as string);
      const match = /^(gsi\d)pk$/.exec(attribute);
      if (match) set[match[1] as string] = String(values[value as string]);
    }
    const merged = { ...known.get(itemKey(key)), ...set };
    known.set(itemKey(key), merged);
    count('table', key.pk);
    for (const [index, pk] of Object.entries(merged)) count(index, pk);
  };
  const onDelete = (key: Item) => {
    count('table', key.pk);
    for (const [index, pk] of Object.entries(known.get(itemKey(key)) ?? {})) count(index, pk);
    known.delete(itemKey(key));
  };

  table.client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = String(context.commandName ?? '');
      const input = args.input as Item;
      if (name === 'PutItemCommand') onPut(input.Item as Item);
      if (name === 'UpdateItemCommand') onUpdate(input);
      if (name === 'DeleteItemCommand') onDelete(input.Key as Item);
      if (name === 'TransactWriteItemsCommand') {
        for (const entry of input.TransactItems as Item[]) {
          if (entry.Put) onPut((entry.Put as Item).Item as Item);
          if (entry.Update) onUpdate(entry.Update as Item);
          if (entry.Delete) onDelete((entry.Delete as Item).Key as Item);
          if (entry.ConditionCheck) count('table', ((entry.ConditionCheck as Item).Key as Item).pk);
        }
      }
      if (name === 'BatchWriteItemCommand') {
        for (const requests of Object.values(input.RequestItems as Record<string, Item[]>)) {
          for (const request of requests) {
            if (request.PutRequest) onPut((request.PutRequest as Item).Item as Item);
            if (request.DeleteRequest) onDelete((request.DeleteRequest as Item).Key as Item);
          }
        }
      }
      const result = await next(args);
      const output = result.output as { Item?: Item; Items?: Item[]; Responses?: Record<string, Item[]> };
      if (output.Item) remember(output.Item);
      for (const item of output.Items ?? []) remember(item);
      for (const items of Object.values(output.Responses ?? {})) for (const item of items) remember(item);
      return result;
    },
    { step: 'initialize', name: 'partitionWrites' },
  );
  return {
    counts,
    reset: () => counts.clear(),
  };
};

/** The busiest partition, its share of all partition writes, and the same for the unsharded layout. */
export const busiest = (counts: Map<string, number>) => {
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  const top = (map: Map<string, number>) =>
    [...map].reduce((best, entry) => (entry[1] > best[1] ? entry : best), ['–', 0] as [string, number]);
  // The same writes had the keys not been sharded: the shard suffix folds back into one key.
  const unsharded = new Map<string, number>();
  for (const [key, n] of counts) {
    const folded = key.replace(/^(gsi\d (?:TYPE#customer|TAG#.+|CAMPAIGN#[^#]+))#\d{2}$/, '$1');
    unsharded.set(folded, (unsharded.get(folded) ?? 0) + n);
  }
  const [key, writes] = top(counts);
  const [baselineKey, baselineWrites] = top(unsharded);
  const leaders = [...counts].sort((a, b) => b[1] - a[1]).slice(0, 5);
  return {
    total,
    leaders: leaders.map(([k, n]) => ({ key: k, share: total > 0 ? n / total : 0 })),
    key,
    share: total > 0 ? writes / total : 0,
    baselineKey,
    baselineShare: total > 0 ? baselineWrites / total : 0,
  };
};

const pool = async <T>(items: T[], concurrency: number, work: (item: T) => Promise<unknown>) => {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
};

export interface HotKeyFigures {
  broadcastRecipients: number;
  /** Measured capacity of the broadcast (paging, every send, the stream consumers), per recipient. */
  wcuPerRecipient: number;
  rcuPerRecipient: number;
  /** Index entries written per recipient (DynamoDB Local leaves them out of consumed capacity). */
  indexWritesPerRecipient: number;
  busiestShare: { purchases: number; broadcast: number };
}

/** A broadcast measured on the local twin (bench/exactly-once.ts): its partition writes and capacity. */
export interface TwinBroadcast {
  audience: number;
  seconds: number;
  partitions: Map<string, number>;
  capacity: { read: number; write: number };
}

const CONCURRENCY = 8;

/**
 * Item writes per partition key in two scenarios: `purchases` customers created, each buying once
 * (run here), and a broadcast on the whole local twin (paging, every delivery and the stream
 * consumers that count them), measured by the exactly-once step or for this step alone.
 */
export const hotKeys = async (
  dynamo: RunningDynamo,
  broadcast: TwinBroadcast,
  purchases = 1_000,
): Promise<{ section: Section; figures: HotKeyFigures }> => {
  const at = new Date('2026-11-22T02:00:00.000Z');
  const { deps, table } = await benchDeps(dynamo, { now: () => at });
  const writes = partitionWrites(table);
  const rows: string[][] = [];
  const leaders: string[] = [];
  const anonymous = (key: string) => key.replace(/[0-9A-Z]{26}/g, '…');
  const add = (scenario: string, measured: ReturnType<typeof busiest>) => {
    leaders.push(
      `Top keys, ${scenario}: ${measured.leaders.map((l) => `\`${anonymous(l.key)}\` ${fmt(l.share * 100, 2)}%`).join(', ')}.`,
    );
    return rows.push([
      scenario,
      measured.total.toLocaleString('en'),
      `\`${anonymous(measured.key)}\``,
      `${fmt(measured.share * 100, 2)}%`,
      `\`${anonymous(measured.baselineKey)}\` ${fmt(measured.baselineShare * 100, 1)}%`,
      measured.share <= 0.05 ? 'met' : 'missed',
    ]);
  };

  // 1. Customers created, each buying once: the purchase's running total rewrites the customer.
  await putProduct(
    deps,
    'BALL',
    { name: 'Balls', category: 'table-tennis', lifespanDays: 90, price: 9 },
    undefined,
  );
  writes.reset();
  const buyers = Array.from({ length: purchases }, (_, i) => i);
  await pool(buyers, CONCURRENCY, async (i) => {
    const customer = await createCustomer(
      deps,
      { sub: 'u-admin', roles: ['admin'] },
      CustomerInput.parse({ name: `Buyer ${i}`, consent: { sms: true, email: false } }),
    );
    await recordPurchase(
      deps,
      { sub: 'u-admin', roles: ['admin'] },
      PurchaseInput.parse({
        customerId: customer.id,
        purchasedAt: '2026-11-22T10:00:00+08:00',
        items: [{ sku: 'BALL', quantity: 1 }],
      }),
    );
  });
  const purchaseKeys = busiest(writes.counts);
  add(`${purchases.toLocaleString('en')} customers created, each recording a purchase`, purchaseKeys);

  // 2. The broadcast, measured on the twin.
  const recipients = broadcast.audience;
  const broadcastKeys = busiest(broadcast.partitions);
  add(
    `broadcast to ${recipients.toLocaleString('en')} recipients on the local twin (paging, every delivery, the stream consumers)`,
    broadcastKeys,
  );
  const indexWrites = [...broadcast.partitions].reduce(
    (sum, [key, n]) => (key.startsWith('table ') ? sum : sum + n),
    0,
  );

  return {
    section: {
      title: 'Hot keys: writes per partition key (DynamoDB Local, instrumented client)',
      rows: [
        [
          'scenario',
          'partition writes',
          'busiest key',
          'its share',
          'unsharded layout: busiest, share',
          '≤ 5%',
        ],
        ...rows,
      ],
      notes: [
        'A partition write is one item write landing on a table partition key or on an index partition key (each index whose key the item carries); the busiest key is the one a real table would throttle first.',
        'The unsharded column folds the shard suffix back (`TYPE#customer#07` → `TYPE#customer`, `CAMPAIGN#id#07` → `CAMPAIGN#id`): the same writes on the old layout, measured in the same run.',
        ...leaders,
        `The customers ran ${CONCURRENCY} at a time. The broadcast is the exactly-once step's run (or, for \`npm run bench -- hot-keys\` alone, one of \`--hot-keys=N\` recipients, 10,000 by default): the whole twin with its queues, timeouts and both stream consumers, ${fmt(recipients / broadcast.seconds, 0)} recipients/s here.`,
      ],
    },
    figures: {
      broadcastRecipients: recipients,
      wcuPerRecipient: broadcast.capacity.write / Math.max(1, recipients),
      rcuPerRecipient: broadcast.capacity.read / Math.max(1, recipients),
      indexWritesPerRecipient: indexWrites / Math.max(1, recipients),
      busiestShare: { purchases: purchaseKeys.share, broadcast: broadcastKeys.share },
    },
  };
};

/** Customers written straight to the table, with the repository's keys, 25 per BatchWriteItem. */
export const seedCustomers = async (
  table: Table,
  count: number,
  region = (i: number) => (i % 2 === 0 ? 'Beijing' : 'Shanghai'),
) => {
  const now = new Date().toISOString();
  for (let start = 0; start < count; start += 25) {
    let request: Record<string, unknown> | undefined = {
      [table.name]: Array.from({ length: Math.min(25, count - start) }, (_, i) => {
        const id = ulid();
        return {
          PutRequest: {
            Item: {
              ...keys.customer(id),
              ...keys.customerByType(id),
              entityType: 'customer',
              id,
              name: `Member ${start + i}`,
              phone: `+86139${String(start + i).padStart(8, '0')}`,
              region: region(start + i),
              timezone: 'Asia/Shanghai',
              interests: [],
              household: [],
              tags: [],
              attributes: {},
              consent: { email: false, sms: true },
              createdAt: now,
              updatedAt: now,
              version: 1,
            },
          },
        };
      }),
    };
    while (request && Object.keys(request).length > 0) {
      const { UnprocessedItems } = await table.client.send(
        new BatchWriteCommand({ RequestItems: request as never }),
      );
      request = UnprocessedItems as Record<string, unknown> | undefined;
    }
  }
};
