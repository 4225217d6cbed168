import { GetCommand, PutCommand, type TransactWriteCommandInput, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Message } from '../../domain/message.ts';
import type { LedgerConflict, MessageLedger } from '../../ports/campaign-repositories.ts';
import { queryPage } from './cursor.ts';
import { keys } from './keys.ts';
import { queryShards } from './sharded-query.ts';
import { surveyItem } from './survey-items.ts';
import { type Table, toEntity } from './table.ts';
import { isTransactionConflict } from './write-failures.ts';

type TransactItems = NonNullable<TransactWriteCommandInput['TransactItems']>;
type Item = Record<string, unknown>;

/** Free: no final status yet (nothing, or deferred) and no delivery holding the lease. */
const FREE =
  'attribute_not_exists(pk) OR ((attribute_not_exists(#status) OR #status = :deferred) AND attribute_not_exists(leaseUntil))';
/** Optional fields a later state must not inherit from an earlier one. */
const CLEARED_FIELDS = ['reason', 'deferredUntil'] as const;

const messageItem = (message: Message): Item => {
  const { attempts: _attempts, leaseUntil: _lease, ...fields } = message as Message & { leaseUntil?: number };
  return {
    ...keys.messagesOfCampaign(message.campaignId, message.customerId, message.sentAt, message.id),
    ...keys.timeline(message.customerId, message.sentAt, message.id),
    entityType: 'message',
    ...fields,
  };
};

/** SET every field of the message (attempts stays the ledger's), REMOVE the ones it no longer has. */
const writeMessage = (message: Message, extraRemove: string[] = []) => {
  const item = messageItem(message);
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const sets = Object.entries(item).map(([field, value], i) => {
    names[`#f${i}`] = field;
    values[`:f${i}`] = value;
    return `#f${i} = :f${i}`;
  });
  const removes = [...CLEARED_FIELDS.filter((field) => !(field in item)), ...extraRemove].map((field, i) => {
    names[`#r${i}`] = field;
    return `#r${i}`;
  });
  return {
    UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
};

const conditionFailure = (error: unknown): { failed: boolean; item?: Item | undefined } => {
  const e = error as { name?: string; Item?: Item; CancellationReasons?: { Code?: string; Item?: Item }[] };
  if (e.name === 'ConditionalCheckFailedException')
    return { failed: true, item: e.Item && unmarshall(e.Item as never) };
  const first = e.CancellationReasons?.[0];
  if (e.name === 'TransactionCanceledException' && first?.Code === 'ConditionalCheckFailed') {
    return { failed: true, item: first.Item && unmarshall(first.Item as never) };
  }
  return { failed: false };
};

export const dynamoMessageLedger = ({ client, name }: Table): MessageLedger => {
  /** What a failed condition found: the old item, from the error or (if the store did not return it) a read. */
  const conflict = async (id: string, item: Item | undefined, now: Date): Promise<LedgerConflict> => {
    const found =
      item ??
      (await client.send(new GetCommand({ TableName: name, Key: keys.message(id), ConsistentRead: true })))
        .Item ??
      {};
    const lease = found.leaseUntil as number | undefined;
    if (lease !== undefined) {
      return lease > now.getTime()
        ? { state: 'busy' }
        : { state: 'interrupted', message: toEntity<Message>(found), lease };
    }
    return { state: 'final', message: toEntity<Message>(found) };
  };

  /** One conditional update of the ledger entry; never a transaction, so it costs 1 WCU per KB. */
  const write = async (update: Omit<NonNullable<TransactItems[number]['Update']>, 'TableName'>) => {
    for (let attempt = 1; ; attempt++) {
      try {
        await client.send(
          new UpdateCommand({
            TableName: name,
            ...update,
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          } as never),
        );
        return;
      } catch (error) {
        // A transaction elsewhere held the item at that moment (DynamoDB refuses then); it is over in milliseconds.
        if (!isTransactionConflict(error) || attempt >= 5) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 25 * 2 ** attempt));
      }
    }
  };

  return {
    async claim(message, leaseUntil, now) {
      try {
        const { Attributes } = await client.send(
          new UpdateCommand({
            TableName: name,
            Key: keys.message(message.id),
            UpdateExpression:
              'SET leaseUntil = :lease, attempts = if_not_exists(attempts, :zero) + :one, entityType = :type, ' +
              'campaignId = :campaign, customerId = :customer, channel = :channel',
            ConditionExpression: FREE,
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':lease': leaseUntil,
              ':zero': 0,
              ':one': 1,
              ':deferred': 'deferred',
              ':type': 'message',
              ':campaign': message.campaignId,
              ':customer': message.customerId,
              ':channel': message.channel,
            },
            ReturnValues: 'ALL_NEW',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        );
        return { state: 'claimed', attempts: Number(Attributes?.attempts ?? 1), lease: leaseUntil };
      } catch (error) {
        const failure = conditionFailure(error);
        if (!failure.failed) throw error;
        return conflict(message.id, failure.item, now);
      }
    },

    async decide(message) {
      const update = writeMessage(message);
      try {
        await write({
          Key: keys.message(message.id),
          UpdateExpression: update.UpdateExpression.replace(
            /^SET /,
            'SET attempts = if_not_exists(attempts, :zero), ',
          ),
          ConditionExpression: FREE,
          ExpressionAttributeNames: { ...update.ExpressionAttributeNames, '#status': 'status' },
          ExpressionAttributeValues: {
            ...update.ExpressionAttributeValues,
            ':deferred': 'deferred',
            ':zero': 0,
          },
        });
        return { state: 'decided' };
      } catch (error) {
        const failure = conditionFailure(error);
        if (!failure.failed) throw error;
        return conflict(message.id, failure.item, new Date());
      }
    },

    async finish(message, lease, survey) {
      // The survey is opened before the sent status is written, each in its own plain write: if
      // the function dies in between, the message ends `failed` as interrupted (it may have been
      // delivered) and a reply still finds its survey. Opening it once, however often this runs.
      if (survey) {
        await client
          .send(
            new PutCommand({
              TableName: name,
              Item: surveyItem(survey),
              ConditionExpression: 'attribute_not_exists(pk)',
            }),
          )
          .catch((error: unknown) => {
            if (!conditionFailure(error).failed) throw error;
          });
      }
      const update = writeMessage(message, ['leaseUntil']);
      await write({
        Key: keys.message(message.id),
        ...update,
        ConditionExpression: 'leaseUntil = :lease',
        ExpressionAttributeValues: { ...update.ExpressionAttributeValues, ':lease': lease },
      });
    },

    async closeInterrupted(message, lease) {
      const update = writeMessage(message, ['leaseUntil']);
      try {
        await write({
          Key: keys.message(message.id),
          ...update,
          ConditionExpression: 'leaseUntil = :lease',
          ExpressionAttributeValues: { ...update.ExpressionAttributeValues, ':lease': lease },
        });
      } catch (error) {
        // Another retry closed it first.
        if (!conditionFailure(error).failed) throw error;
      }
    },

    async abandon(messageId, reason, now) {
      try {
        await client.send(
          new UpdateCommand({
            TableName: name,
            Key: keys.message(messageId),
            UpdateExpression: 'SET #status = :failed, reason = :reason REMOVE leaseUntil, deferredUntil',
            ConditionExpression:
              'attribute_exists(#status) AND #status = :deferred AND (attribute_not_exists(leaseUntil) OR leaseUntil < :now)',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':failed': 'failed',
              ':reason': reason,
              ':deferred': 'deferred',
              ':now': now.getTime(),
            },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        );
        return 'closed';
      } catch (error) {
        const failure = conditionFailure(error);
        if (!failure.failed) throw error;
        const found = failure.item;
        // Never decided (at most a claim): nothing is listed, so nothing shows a non-final status.
        if (!found?.status) return 'absent';
        return found.status === 'deferred' ? 'busy' : 'final';
      }
    },

    async release(message, lease) {
      await client
        .send(
          new UpdateCommand({
            TableName: name,
            Key: keys.message(message.id),
            UpdateExpression: 'REMOVE leaseUntil',
            ConditionExpression: 'leaseUntil = :lease',
            ExpressionAttributeValues: { ':lease': lease },
          }),
        )
        .catch((error: unknown) => {
          if (!conditionFailure(error).failed) throw error;
        });
    },

    list({ customerId, campaignId }, page) {
      const toMessage = (item: Record<string, unknown>) => {
        const { leaseUntil: _lease, ...message } = toEntity<Message & { leaseUntil?: number }>(item);
        // The contract lists `to` and `body` on every message: empty when there is no address or
        // nothing was rendered (deferred, suppressed, held out).
        return { ...message, to: message.to ?? '', body: message.body ?? '' };
      };
      // A message shows once it has a status; a first attempt in flight has none yet.
      if (customerId === undefined) {
        // A campaign's messages are spread over shards by customer; they are merged newest first.
        return queryShards(
          client,
          {
            tableName: name,
            index: 'gsi1',
            partitions: keys.campaignMessageShards(campaignId as string),
            newestFirst: true,
            filter: {
              expression: 'entityType = :message AND attribute_exists(#status)',
              names: { '#status': 'status' },
              values: { ':message': 'message' },
            },
          },
          page,
          toMessage,
        );
      }
      return queryPage(
        client,
        {
          TableName: name,
          IndexName: 'gsi3',
          KeyConditionExpression: 'gsi3pk = :pk',
          FilterExpression: `entityType = :message AND attribute_exists(#status)${
            campaignId ? ' AND campaignId = :campaign' : ''
          }`,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':pk': keys.timelinePartition(customerId),
            ':message': 'message',
            ...(campaignId ? { ':campaign': campaignId } : {}),
          },
          ScanIndexForward: false,
        },
        page,
        toMessage,
      );
    },
  };
};
