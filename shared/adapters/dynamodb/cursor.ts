import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Page } from '../../domain/common.ts';
import { ValidationError } from '../../domain/errors.ts';
import type { PageRequest } from '../../ports/repositories.ts';

type Key = Record<string, unknown>;

/** Cursors are opaque to clients: the DynamoDB LastEvaluatedKey, base64url-encoded. */
export const encodeCursor = (key: Key | undefined): string | undefined =>
  key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined;

export const decodeCursor = (cursor: string | undefined): Key | undefined => {
  if (cursor === undefined) return undefined;
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (key && typeof key === 'object' && !Array.isArray(key) && Object.values(key).every(isKeyValue)) {
      return key as Key;
    }
  } catch {
    // falls through to the validation error
  }
  throw ValidationError.field('cursor', 'is not a cursor this API returned');
};

const isKeyValue = (value: unknown) => typeof value === 'string' || typeof value === 'number';

/** One page of a Query: the client's cursor in, the mapped items and the next cursor out. */
export const queryPage = async <T>(
  client: DynamoDBDocumentClient,
  input: Omit<QueryCommandInput, 'Limit' | 'ExclusiveStartKey'>,
  page: PageRequest,
  map: (item: Record<string, unknown>) => T,
): Promise<Page<T>> => {
  const { Items = [], LastEvaluatedKey } = await client.send(
    new QueryCommand({ ...input, Limit: page.limit, ExclusiveStartKey: decodeCursor(page.cursor) }),
  );
  const nextCursor = encodeCursor(LastEvaluatedKey);
  return { items: Items.map(map), ...(nextCursor ? { nextCursor } : {}) };
};

/** Every item a Query matches, page after page: for sets that stay small (one customer's items, summary rows). */
export const queryAll = async (
  client: DynamoDBDocumentClient,
  input: Omit<QueryCommandInput, 'ExclusiveStartKey'>,
): Promise<Record<string, unknown>[]> => {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const { Items = [], LastEvaluatedKey } = await client.send(
      new QueryCommand({ ...input, ExclusiveStartKey: start }),
    );
    items.push(...Items);
    start = LastEvaluatedKey;
  } while (start);
  return items;
};
