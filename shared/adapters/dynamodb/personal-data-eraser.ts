import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { PersonalDataEraser } from '../../ports/repositories.ts';
import { keys } from '../../table/keys.ts';
import { queryAll } from './cursor.ts';
import type { Table } from './table.ts';
import { conditionalWrite } from './write-failures.ts';

/** What each kind of timeline item holds that identifies the person. */
const PERSONAL: Record<string, string[]> = {
  message: ['to', 'body', 'subject'],
  satisfaction: ['comment', 'rawReply'],
  'email-feedback': ['address'],
  activity: ['note'],
};

/**
 * Erases the personal data left in a deleted customer's messages, survey replies, bounce notes,
 * surveys and tasks; the records themselves stay, so campaign counts and reports still add up.
 */
export const dynamoPersonalDataEraser = ({ client, name }: Table): PersonalDataEraser => ({
  async erase(customerId) {
    let erased = 0;
    const items = await queryAll(client, {
      TableName: name,
      IndexName: 'gsi3',
      KeyConditionExpression: 'gsi3pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.timelinePartition(customerId) },
    });
    for (const item of items) {
      const key = { pk: item.pk, sk: item.sk };
      const fields = PERSONAL[String(item.entityType)];
      if (fields) {
        await client.send(
          new UpdateCommand({
            TableName: name,
            Key: key,
            UpdateExpression: `REMOVE ${fields.map((_, i) => `#f${i}`).join(', ')}`,
            ExpressionAttributeNames: Object.fromEntries(fields.map((f, i) => [`#f${i}`, f])),
          }),
        );
        erased++;
      }
      if (item.entityType === 'message') {
        // A survey SMS's survey shares its id; its phone (and the phone index) go too.
        // Not every message opened a survey: a missing one is no failure.
        await conditionalWrite(() =>
          client.send(
            new UpdateCommand({
              TableName: name,
              Key: keys.survey(String(item.id)),
              UpdateExpression: 'REMOVE phone, gsi1pk, gsi1sk',
              ConditionExpression: 'attribute_exists(pk)',
            }),
          ),
        );
      }
      if (item.entityType === 'task') {
        await client.send(
          new UpdateCommand({
            TableName: name,
            Key: key,
            UpdateExpression: 'SET title = :title REMOVE reason',
            ExpressionAttributeValues: { ':title': 'Task for an erased customer' },
          }),
        );
        erased++;
      }
    }
    return erased;
  },
});
