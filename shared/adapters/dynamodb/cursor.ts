import { createHmac, timingSafeEqual } from 'node:crypto';
import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Page } from '../../domain/common.ts';
import { ValidationError } from '../../domain/errors.ts';
import type { PageRequest } from '../../ports/repositories.ts';

type Key = Record<string, unknown>;

/**
 * Cursors are opaque and tamper-evident: the LastEvaluatedKey, base64url JSON, plus an HMAC-SHA256
 * over it and the query it came from (table, index, key condition). A forged, edited or borrowed
 * cursor (one from another list) is a 400 naming `cursor`, never a DynamoDB ValidationException.
 * The key is the table's (CURSOR_KEY; see createTable).
 */
const keys = new WeakMap<object, Buffer>();

/** Gives a client's cursors their signing key; createTable calls it once per client. */
export const useCursorKey = (client: object, key: Buffer) => keys.set(client, key);

export const cursorKeyOf = (client: object) => {
  const key = keys.get(client);
  if (!key) throw new Error('This DynamoDB client was made without a cursor key (use createTable)');
  return key;
};

type QueryIdentity = Pick<
  QueryCommandInput,
  'TableName' | 'IndexName' | 'KeyConditionExpression' | 'ExpressionAttributeValues'
>;

const mac = (secret: Buffer, payload: string, query: QueryIdentity) =>
  createHmac('sha256', secret)
    .update(
      JSON.stringify([
        query.TableName,
        query.IndexName ?? '',
        query.KeyConditionExpression ?? '',
        // Only the key condition's values: filters may change between pages, the partition may not.
        (query.KeyConditionExpression?.match(/:\w+/g) ?? []).map(
          (name) => query.ExpressionAttributeValues?.[name],
        ),
      ]),
    )
    .update('\n')
    .update(payload)
    .digest()
    .subarray(0, 16);

export const encodeCursor = (
  secret: Buffer,
  query: QueryIdentity,
  key: Key | undefined,
): string | undefined => {
  if (!key) return undefined;
  const payload = Buffer.from(JSON.stringify(key)).toString('base64url');
  return `${payload}.${mac(secret, payload, query).toString('base64url')}`;
};

export const decodeCursor = (
  secret: Buffer,
  query: QueryIdentity,
  cursor: string | undefined,
): Key | undefined => {
  if (cursor === undefined) return undefined;
  const [payload = '', signature = '', extra] = cursor.split('.');
  const given = Buffer.from(signature, 'base64url');
  const expected = mac(secret, payload, query);
  if (extra === undefined && given.length === expected.length && timingSafeEqual(given, expected)) {
    try {
      const key = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown;
      if (key && typeof key === 'object' && !Array.isArray(key) && Object.values(key).every(isKeyValue)) {
        return key as Key;
      }
    } catch {
      // falls through to the validation error
    }
  }
  throw ValidationError.field('cursor', 'is not a cursor this list returned');
};

const isKeyValue = (value: unknown) => typeof value === 'string' || typeof value === 'number';

/** One page of a Query: the client's cursor in, the mapped items and the next cursor out. */
export const queryPage = async <T>(
  client: DynamoDBDocumentClient,
  input: Omit<QueryCommandInput, 'Limit' | 'ExclusiveStartKey'>,
  page: PageRequest,
  map: (item: Record<string, unknown>) => T,
): Promise<Page<T>> => {
  const secret = cursorKeyOf(client);
  const { Items = [], LastEvaluatedKey } = await client.send(
    new QueryCommand({
      ...input,
      Limit: page.limit,
      ExclusiveStartKey: decodeCursor(secret, input, page.cursor),
    }),
  );
  const nextCursor = encodeCursor(secret, input, LastEvaluatedKey);
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
