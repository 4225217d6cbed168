import { DeleteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { PersonalDataEraser } from '../../ports/repositories.ts';
import { queryAll } from './cursor.ts';
import { keys } from './keys.ts';
import type { Table } from './table.ts';

/** What each kind of timeline item holds that identifies the person. */
const PERSONAL: Record<string, string[]> = {
  message: ['to', 'body', 'subject'],
  satisfaction: ['comment', 'rawReply'],
  'email-feedback': ['address'],
  'opted-out': ['address'],
  'opted-in': ['address'],
  activity: ['note'],
};

const ignoreMissing = (error: unknown) => {
  if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
};

/**
 * Erases the personal data left in a deleted customer's messages, survey replies, bounce notes,
 * surveys, inbound texts and tasks; the records themselves stay, so campaign counts and reports
 * still add up. Their surveys are closed and lose their message-id lookup, so a late reply can no
 * longer reach them. Safe to run twice.
 */
export const dynamoPersonalDataEraser = ({ client, name }: Table): PersonalDataEraser => {
  /** Closes the survey of a survey SMS (it shares the message's id); returns its phone. */
  const closeSurvey = async (id: string): Promise<string | undefined> => {
    const { Attributes: old } = await client
      .send(
        new UpdateCommand({
          TableName: name,
          Key: keys.survey(id),
          UpdateExpression: 'REMOVE phone, gsi1pk, gsi1sk',
          ConditionExpression: 'attribute_exists(pk)',
          ReturnValues: 'ALL_OLD',
        }),
      )
      .catch((error: unknown) => {
        ignoreMissing(error);
        return { Attributes: undefined };
      });
    if (!old) return undefined;
    if (old.status === 'open') {
      await client
        .send(
          new UpdateCommand({
            TableName: name,
            Key: keys.survey(id),
            UpdateExpression: 'SET #status = :expired',
            ConditionExpression: '#status = :open',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':expired': 'expired', ':open': 'open' },
          }),
        )
        .catch(ignoreMissing);
    }
    if (old.providerMessageId)
      await client.send(
        new DeleteCommand({ TableName: name, Key: keys.surveyByMessage(String(old.providerMessageId)) }),
      );
    return old.phone ? String(old.phone) : undefined;
  };

  /** Inbound texts from these phones lose their words and sender (they also expire by TTL). */
  const eraseInbound = async (phone: string) => {
    const items = await queryAll(client, {
      TableName: name,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.inboundOfPhonePartition(phone) },
    });
    for (const item of items) {
      await client.send(
        new UpdateCommand({
          TableName: name,
          Key: { pk: item.pk, sk: item.sk },
          UpdateExpression: 'REMOVE payload, phone, gsi1pk, gsi1sk',
        }),
      );
    }
    return items.length;
  };

  return {
    async erase(customerId, knownPhones = []) {
      let erased = 0;
      const phones = new Set(knownPhones);
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
          const phone = await closeSurvey(String(item.id));
          if (phone) phones.add(phone);
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
      for (const phone of phones) erased += await eraseInbound(phone);
      return erased;
    },
  };
};
