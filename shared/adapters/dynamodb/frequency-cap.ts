import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { FrequencyCap } from '../../ports/campaign-repositories.ts';
import { keys } from './keys.ts';
import { isConditionFailure, type Table } from './table.ts';

const CAP_RETENTION_SECONDS = 3 * 86_400;

export const dynamoFrequencyCap = ({ client, name }: Table): FrequencyCap => ({
  async claim(customerId, localDay, messageId) {
    try {
      await client.send(
        new PutCommand({
          TableName: name,
          Item: {
            ...keys.frequencyCap(customerId, localDay),
            messageId,
            ttl: Math.floor(Date.now() / 1000) + CAP_RETENTION_SECONDS,
          },
          ConditionExpression: 'attribute_not_exists(pk) OR messageId = :messageId',
          ExpressionAttributeValues: { ':messageId': messageId },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  },
});
