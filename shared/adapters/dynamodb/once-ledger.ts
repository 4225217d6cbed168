import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { OnceLedger } from '../../ports/repositories.ts';
import { keys } from './keys.ts';
import type { Table } from './table.ts';
import { conditionalWrite } from './write-failures.ts';

const REMEMBER_SECONDS = 30 * 24 * 60 * 60;

export const dynamoOnceLedger = ({ client, name }: Table): OnceLedger => ({
  async claim(scope, now) {
    const result = await conditionalWrite(() =>
      client.send(
        new PutCommand({
          TableName: name,
          Item: {
            ...keys.once(scope),
            claimedAt: now.toISOString(),
            ttl: Math.floor(now.getTime() / 1000) + REMEMBER_SECONDS,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
    return result.written;
  },
  async release(scope) {
    await client.send(new DeleteCommand({ TableName: name, Key: keys.once(scope) }));
  },
});
