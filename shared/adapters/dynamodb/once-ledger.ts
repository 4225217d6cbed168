import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { OnceLedger } from '../../ports/repositories.ts';
import { keys } from '../../table/keys.ts';
import { isConditionFailure, type Table } from './table.ts';

const REMEMBER_SECONDS = 30 * 24 * 60 * 60;

export const dynamoOnceLedger = ({ client, name }: Table): OnceLedger => ({
  async claim(scope, now) {
    try {
      await client.send(
        new PutCommand({
          TableName: name,
          Item: {
            ...keys.once(scope),
            claimedAt: now.toISOString(),
            ttl: Math.floor(now.getTime() / 1000) + REMEMBER_SECONDS,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  },
  async release(scope) {
    await client.send(new DeleteCommand({ TableName: name, Key: keys.once(scope) }));
  },
});
