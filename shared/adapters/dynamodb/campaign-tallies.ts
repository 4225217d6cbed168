import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { CampaignTallies, Tally } from '../../ports/campaign-repositories.ts';
import { keys, STATS_SHARDS, SUMMARY_SHARDS, shardOf } from './keys.ts';
import type { Table } from './table.ts';

type TransactItems = NonNullable<TransactWriteCommandInput['TransactItems']>;
type Key = { pk: string; sk: string };

/** Stream records live 24 hours; a marker outliving that can never be needed again. */
const MARKER_SECONDS = 2 * 86_400;
/** DynamoDB's limit on the items of one transaction. */
const MAX_TRANSACTION_ITEMS = 100;

const add = (tableName: string, key: Key, counts: Record<string, number>) => {
  const entries = Object.entries(counts).filter(([, n]) => n);
  return {
    Update: {
      TableName: tableName,
      Key: key,
      UpdateExpression: `ADD ${entries.map((_, i) => `#c${i} :c${i}`).join(', ')}`,
      ExpressionAttributeNames: Object.fromEntries(entries.map(([name], i) => [`#c${i}`, name])),
      ExpressionAttributeValues: Object.fromEntries(entries.map(([, n], i) => [`:c${i}`, n])),
    },
  };
};

const marker = (tableName: string, id: string, now: Date) => ({
  Put: {
    TableName: tableName,
    Item: { ...keys.tallied(id), ttl: Math.floor(now.getTime() / 1000) + MARKER_SECONDS },
    ConditionExpression: 'attribute_not_exists(pk)',
  },
});

/**
 * The counter items a tally adds to, on the shard its chunk writes: the campaign's stats shard and
 * the summary rows' shards.
 */
const targets = (tally: Tally, shard: number): { key: Key; counts: Record<string, number> }[] => [
  ...(tally.campaignId && Object.keys(tally.counts).length > 0
    ? [{ key: keys.campaignStatsShard(tally.campaignId, shard % STATS_SHARDS), counts: tally.counts }]
    : []),
  ...(tally.summaries ?? []).map((s) => ({
    key: keys.summaryShard(s.groupBy, shard % SUMMARY_SHARDS, s.key),
    counts: s.counts,
  })),
];

/** Every tally's counts summed per counter item, so each item gets one ADD. */
const sum = (tallies: Tally[], shard: number) => {
  const byItem = new Map<string, { key: Key; counts: Record<string, number> }>();
  for (const tally of tallies) {
    for (const { key, counts } of targets(tally, shard)) {
      const id = `${key.pk}\u0000${key.sk}`;
      const summed = byItem.get(id) ?? { key, counts: {} };
      for (const [counter, n] of Object.entries(counts))
        summed.counts[counter] = (summed.counts[counter] ?? 0) + n;
      byItem.set(id, summed);
    }
  }
  return [...byItem.values()];
};

/** Chunks whose markers and counter updates fit one transaction (each tally touches at most a few items). */
const chunks = (tallies: Tally[]): Tally[][] => {
  const result: Tally[][] = [];
  let chunk: Tally[] = [];
  let items = 0;
  for (const tally of tallies) {
    const size = 1 + targets(tally, 0).length;
    if (chunk.length > 0 && items + size > MAX_TRANSACTION_ITEMS) {
      result.push(chunk);
      chunk = [];
      items = 0;
    }
    chunk.push(tally);
    items += size;
  }
  if (chunk.length > 0) result.push(chunk);
  return result;
};

const alreadyCounted = (error: unknown) =>
  (error as { name?: string }).name === 'TransactionCanceledException' &&
  ((error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? []).some(
    (reason) => reason.Code === 'ConditionalCheckFailed',
  );

/**
 * Counters kept by the stream (campaign stats and satisfaction summary rows): each chunk of
 * records is one transaction of a marker per record (refused if the record was counted before) and
 * one ADD per counter item, summed, on one of the shards picked by the chunk's first record, so no
 * single item takes every message of a busy campaign or every reply. A redelivered chunk fails on
 * its markers and is then counted record by record, skipping the ones already counted.
 */
export const dynamoCampaignTallies = ({ client, name }: Table): CampaignTallies => {
  const write = (tallies: Tally[], now: Date) => {
    const shard = shardOf(tallies[0]?.id ?? '', STATS_SHARDS * SUMMARY_SHARDS);
    const items: TransactItems = [
      ...tallies.map((tally) => marker(name, tally.id, now)),
      ...sum(tallies, shard).map(({ key, counts }) => add(name, key, counts)),
    ];
    return client.send(new TransactWriteCommand({ TransactItems: items }));
  };
  return {
    async apply(tallies: Tally[], now: Date): Promise<void> {
      for (const chunk of chunks(tallies)) {
        try {
          await write(chunk, now);
        } catch (error) {
          if (!alreadyCounted(error)) throw error;
          for (const tally of chunk) {
            await write([tally], now).catch((e: unknown) => {
              if (!alreadyCounted(e)) throw e;
            });
          }
        }
      }
    },
  };
};
