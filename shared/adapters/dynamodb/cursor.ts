import { ValidationError } from '../../domain/errors.ts';

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
