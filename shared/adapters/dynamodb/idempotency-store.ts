import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { IdempotencyStore, StoredResponse } from '../../ports/repositories.ts';
import { keys } from './keys.ts';
import type { Table } from './table.ts';
import { conditionalWrite } from './write-failures.ts';

/** A claim outlives the longest request (the function timeout), after which a crashed attempt may be retried. */
const IN_PROGRESS_SECONDS = 60;
const REMEMBER_SECONDS = 24 * 60 * 60;

const epochSeconds = (date: Date) => Math.floor(date.getTime() / 1000);

export const dynamoIdempotencyStore = ({ client, name }: Table): IdempotencyStore => ({
  async claim(scope, fingerprint, now) {
    const result = await conditionalWrite(() =>
      client.send(
        new PutCommand({
          TableName: name,
          Item: {
            ...keys.idempotency(scope),
            status: 'in-progress',
            fingerprint,
            lockedUntil: epochSeconds(now) + IN_PROGRESS_SECONDS,
            ttl: epochSeconds(now) + REMEMBER_SECONDS,
          },
          // An expired record counts as absent even while it waits for TTL's sweeper (which can lag by days).
          ConditionExpression:
            'attribute_not_exists(pk) OR #ttl <= :now OR (#status = :inProgress AND lockedUntil < :now)',
          ExpressionAttributeNames: { '#status': 'status', '#ttl': 'ttl' },
          ExpressionAttributeValues: { ':inProgress': 'in-progress', ':now': epochSeconds(now) },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      ),
    );
    if (result.written) return { state: 'claimed' };
    // The SDK hands back the old item in wire format; the document client does not convert error payloads.
    const raw = result.item as Parameters<typeof unmarshall>[0] | undefined;
    if (!raw) return { state: 'in-progress' };
    const existing = unmarshall(raw);
    // A request still running is reported as such whatever its body; only a finished one can be compared.
    if (existing.status !== 'completed') return { state: 'in-progress' };
    if (existing.fingerprint !== fingerprint) return { state: 'mismatch' };
    return { state: 'completed', response: existing.response as StoredResponse };
  },

  async complete(scope, response, now) {
    await client.send(
      new UpdateCommand({
        TableName: name,
        Key: keys.idempotency(scope),
        UpdateExpression: 'SET #status = :completed, #response = :response, #ttl = :ttl',
        ExpressionAttributeNames: { '#status': 'status', '#response': 'response', '#ttl': 'ttl' },
        ExpressionAttributeValues: {
          ':completed': 'completed',
          ':response': response,
          ':ttl': epochSeconds(now) + REMEMBER_SECONDS,
        },
      }),
    );
  },

  async release(scope) {
    await client.send(new DeleteCommand({ TableName: name, Key: keys.idempotency(scope) }));
  },
});
