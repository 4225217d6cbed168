import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { CampaignCounter } from '../../domain/campaign.ts';
import type { CampaignTallies, Tally } from '../../ports/campaign-repositories.ts';
import { keys, STATS_SHARDS, shardOf } from './keys.ts';
import type { Table } from './table.ts';

type TransactItems = NonNullable<TransactWriteCommandInput['TransactItems']>;

/** Stream records live 24 hours; a marker outliving that can never be needed again. */
const MARKER_SECONDS = 2 * 86_400;
/** Markers and counter updates per transaction stay well under DynamoDB's 100 items. */
const CHUNK = 40;

const add = (tableName: string, campaignId: string, shard: number, counts: Tally['counts']) => {
  const entries = Object.entries(counts).filter(([, n]) => n);
  return {
    Update: {
      TableName: tableName,
      Key: keys.campaignStatsShard(campaignId, shard),
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

const sum = (tallies: Tally[]) => {
  const byCampaign = new Map<string, Partial<Record<CampaignCounter, number>>>();
  for (const tally of tallies) {
    const counts = byCampaign.get(tally.campaignId) ?? {};
    for (const [counter, n] of Object.entries(tally.counts) as [CampaignCounter, number][])
      counts[counter] = (counts[counter] ?? 0) + n;
    byCampaign.set(tally.campaignId, counts);
  }
  return byCampaign;
};

const alreadyCounted = (error: unknown) =>
  (error as { name?: string }).name === 'TransactionCanceledException' &&
  ((error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? []).some(
    (reason) => reason.Code === 'ConditionalCheckFailed',
  );

/**
 * Campaign counters kept by the stream: each chunk of records is one transaction of a marker per
 * record (refused if the record was counted before) and one ADD per campaign, summed, on one of
 * STATS_SHARDS counter items picked by the chunk's first record, so no single item takes every
 * message of a busy campaign. A redelivered chunk fails on its markers and is then counted record
 * by record, skipping the ones already counted.
 */
export const dynamoCampaignTallies = ({ client, name }: Table): CampaignTallies => {
  const write = (tallies: Tally[], now: Date) => {
    const shard = shardOf(tallies[0]?.id ?? '', STATS_SHARDS);
    const items: TransactItems = [
      ...tallies.map((tally) => marker(name, tally.id, now)),
      ...[...sum(tallies)].map(([campaignId, counts]) => add(name, campaignId, shard, counts)),
    ];
    return client.send(new TransactWriteCommand({ TransactItems: items }));
  };
  return {
    async apply(tallies: Tally[], now: Date): Promise<void> {
      for (let start = 0; start < tallies.length; start += CHUNK) {
        const chunk = tallies.slice(start, start + CHUNK);
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
