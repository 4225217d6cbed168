import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Page } from '../../domain/common.ts';
import { ValidationError } from '../../domain/errors.ts';
import type { PageRequest } from '../../ports/repositories.ts';
import { cursorKeyOf, decodeCursor, encodeCursor } from './cursor.ts';

type Item = Record<string, unknown>;

export interface ShardedQuery {
  tableName: string;
  index: 'gsi1' | 'gsi2' | 'gsi3';
  /** Every shard's partition key value, in shard order. */
  partitions: string[];
  newestFirst?: boolean;
  /** A FilterExpression over each shard, with its own names and values (no `#pk`, `#sk`, `:pk`, `:after`). */
  filter?: { expression: string; names?: Record<string, string>; values?: Record<string, unknown> };
}

/** A shard's place in the cursor: after this sort value, or read to its end. */
const AFTER = 'a:';
const END = 'end';

const cursorError = () => ValidationError.field('cursor', 'is not a cursor this API returned');

/**
 * Reads a sharded index as if it were one partition: every shard is queried in parallel, the
 * results are merged by sort key, and the cursor carries each shard's own position (the last sort
 * value handed out from it), so a page never skips or repeats an item.
 *
 * An item is handed out only when no shard that still has items could hold a smaller one, i.e. it
 * sorts before every unfinished shard's last read item. Each shard reads only a few items per page,
 * so a page may hold fewer than `limit` items; `nextCursor` is there while any shard has more.
 */
export const queryShards = async <T>(
  client: DynamoDBDocumentClient,
  query: ShardedQuery,
  page: PageRequest,
  map: (item: Item) => T,
): Promise<Page<T>> => {
  const positions = decodePositions(client, query, page.cursor);
  const pk = `${query.index}pk`;
  const sk = `${query.index}sk`;
  const descending = query.newestFirst === true;
  const before = (a: string, b: string) => (descending ? a > b : a < b);
  // Enough per shard that an evenly spread page fills in one round, never more than the page.
  const perShard = Math.min(page.limit, Math.ceil((page.limit * 2) / query.partitions.length) + 1);

  const reads = await Promise.all(
    query.partitions.map(async (partition, shard) => {
      const position = positions[shard];
      if (position === END) return { shard, items: [] as Item[], more: false };
      const after = position?.slice(AFTER.length);
      const { Items = [], LastEvaluatedKey } = await client.send(
        new QueryCommand({
          TableName: query.tableName,
          IndexName: query.index,
          KeyConditionExpression:
            after === undefined ? '#pk = :pk' : `#pk = :pk AND #sk ${descending ? '<' : '>'} :after`,
          ...(query.filter ? { FilterExpression: query.filter.expression } : {}),
          ExpressionAttributeNames: {
            '#pk': pk,
            ...(after === undefined ? {} : { '#sk': sk }),
            ...query.filter?.names,
          },
          ExpressionAttributeValues: {
            ':pk': partition,
            ...(after === undefined ? {} : { ':after': after }),
            ...query.filter?.values,
          },
          ScanIndexForward: !descending,
          Limit: perShard,
        }),
      );
      // A filtered read may stop on an item it dropped; the evaluated key marks how far it got.
      const reached = LastEvaluatedKey?.[sk] as string | undefined;
      return { shard, items: Items, more: LastEvaluatedKey !== undefined, reached };
    }),
  );

  // The bound: nothing past the last item read from a shard that has more can be handed out yet.
  let bound: string | undefined;
  for (const read of reads) {
    if (!read.more || read.reached === undefined) continue;
    if (bound === undefined || before(read.reached, bound)) bound = read.reached;
  }
  const candidates = reads
    .flatMap((read) => read.items.map((item) => ({ shard: read.shard, item, key: String(item[sk]) })))
    .filter((c) => bound === undefined || c.key === bound || before(c.key, bound))
    .sort((a, b) => (a.key === b.key ? 0 : before(a.key, b.key) ? -1 : 1))
    .slice(0, page.limit);

  const next = [...positions];
  for (const read of reads) {
    const taken = candidates.filter((c) => c.shard === read.shard);
    if (taken.length === read.items.length) {
      // Everything read was handed out; what the read passed over was filtered out for good.
      if (!read.more) next[read.shard] = END;
      else if (read.reached !== undefined) next[read.shard] = AFTER + read.reached;
    } else {
      const last = taken.at(-1);
      if (last) next[read.shard] = AFTER + last.key;
    }
  }
  const done = next.every((position) => position === END);
  const nextCursor = done ? undefined : encodePositions(client, query, next);
  return { items: candidates.map((c) => map(c.item)), ...(nextCursor ? { nextCursor } : {}) };
};

/** What a sharded cursor is signed over: the table, index and every shard's partition. */
const identity = (query: ShardedQuery) => ({
  TableName: query.tableName,
  IndexName: query.index,
  KeyConditionExpression: 'sharded :partitions',
  ExpressionAttributeValues: { ':partitions': query.partitions.join('|') },
});

/** Positions ride in the ordinary cursor, one string per started shard, so its encoding and signing apply. */
const encodePositions = (
  client: DynamoDBDocumentClient,
  query: ShardedQuery,
  positions: (string | undefined)[],
) =>
  encodeCursor(
    cursorKeyOf(client),
    identity(query),
    Object.fromEntries(positions.flatMap((position, shard) => (position ? [[`s${shard}`, position]] : []))),
  );

const decodePositions = (
  client: DynamoDBDocumentClient,
  query: ShardedQuery,
  cursor: string | undefined,
): (string | undefined)[] => {
  const shards = query.partitions.length;
  const positions: (string | undefined)[] = Array.from({ length: shards }, () => undefined);
  const decoded = decodeCursor(cursorKeyOf(client), identity(query), cursor);
  if (!decoded) return positions;
  for (const [key, value] of Object.entries(decoded)) {
    const shard = /^s(\d+)$/.exec(key)?.[1];
    if (
      shard === undefined ||
      Number(shard) >= shards ||
      typeof value !== 'string' ||
      !(value === END || value.startsWith(AFTER))
    )
      throw cursorError();
    positions[Number(shard)] = value;
  }
  return positions;
};
