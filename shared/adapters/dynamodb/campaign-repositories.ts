import { GetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Campaign, CampaignCounter, CampaignStats } from '../../domain/campaign.ts';
import type { Message } from '../../domain/message.ts';
import type { Touchpoint } from '../../domain/touchpoint.ts';
import type {
  CampaignRepository,
  FrequencyCap,
  MessageLedger,
  TouchpointRepository,
} from '../../ports/campaign-repositories.ts';
import { keys } from '../../table/keys.ts';
import { counterUpdate } from './counters.ts';
import { queryAll, queryPage } from './cursor.ts';
import { entityStore } from './entity-store.ts';
import { surveyOpeningItems } from './survey-items.ts';
import { isConditionFailure, type Table, toEntity } from './table.ts';

const COUNTERS: CampaignCounter[] = [
  'scheduled',
  'sent',
  'suppressed',
  'failed',
  'surveys',
  'replies',
  'satisfied',
  'neutral',
  'unsatisfied',
];

export const dynamoCampaignRepository = (table: Table): CampaignRepository => {
  const store = entityStore<Campaign>(table, 'campaign', () => ({}));
  const { client, name } = table;
  return {
    ...store,
    list: ({ status }, page) =>
      store.query(
        {
          index: 'gsi2',
          partition: keys.typePartition('campaign'),
          ...(status ? { filter: { status } } : {}),
        },
        page,
      ),
    async activeLifecycle() {
      const found: Campaign[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.query(
          {
            index: 'gsi2',
            partition: keys.typePartition('campaign'),
            filter: { status: 'active', kind: 'lifecycle' },
          },
          { limit: 100, cursor },
        );
        found.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      return found;
    },
    async stats(id) {
      const { Item } = await client.send(new GetCommand({ TableName: name, Key: keys.campaignStats(id) }));
      return Object.fromEntries(
        COUNTERS.map((counter) => [counter, Number(Item?.[counter] ?? 0)]),
      ) as CampaignStats;
    },
  };
};

export const dynamoTouchpointRepository = ({ client, name }: Table): TouchpointRepository => ({
  async add(touchpoint) {
    try {
      await client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: name,
                Item: {
                  ...keys.touchpoint(touchpoint.customerId, touchpoint.id),
                  entityType: 'touchpoint',
                  ...touchpoint,
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            { Update: counterUpdate(name, touchpoint.campaignId, { scheduled: 1 }) },
          ],
        }),
      );
      return true;
    } catch (error) {
      const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
      if (reasons?.[0]?.Code === 'ConditionalCheckFailed') return false;
      throw error;
    }
  },
  async get(customerId, id) {
    const { Item } = await client.send(
      new GetCommand({ TableName: name, Key: keys.touchpoint(customerId, id) }),
    );
    return Item ? toEntity<Touchpoint>(Item) : undefined;
  },
  async pending(customerId) {
    const items = await queryAll(client, {
      TableName: name,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      FilterExpression: '#status = :scheduled',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':pk': keys.customerPartition(customerId),
        ':prefix': keys.touchpointPrefix,
        ':scheduled': 'scheduled',
      },
    });
    return items.map((item) => toEntity<Touchpoint>(item));
  },
  async setStatus(touchpoint, status) {
    await client
      .send(
        new UpdateCommand({
          TableName: name,
          Key: keys.touchpoint(touchpoint.customerId, touchpoint.id),
          UpdateExpression: 'SET #status = :status',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':status': status },
        }),
      )
      .catch((error: unknown) => {
        if (!isConditionFailure(error)) throw error;
      });
  },
});

/** A claim older than this is a delivery that died (the delivery function times out well before). */
const CLAIM_TIMEOUT_MS = 5 * 60_000;

/** Everything of a message but its status and attempt count, which the ledger manages. */
const messageFields = (message: Message) => {
  const { status: _status, attempts: _attempts, pk: _pk, sk: _sk, ...rest } = messageItem(message);
  return rest as Record<string, unknown>;
};

const messageItem = (message: Message) => ({
  ...keys.message(message.id),
  ...keys.messagesOfCampaign(message.campaignId, message.sentAt, message.id),
  ...keys.timeline(message.customerId, message.sentAt, message.id),
  entityType: 'message',
  ...message,
});

export const dynamoMessageLedger = ({ client, name }: Table): MessageLedger => ({
  async claim(message, now) {
    try {
      // A free ledger entry, or one whose last attempt failed to send and gave the claim back.
      const { Attributes: previous } = await client.send(
        new UpdateCommand({
          TableName: name,
          Key: keys.message(message.id),
          UpdateExpression:
            'SET #status = :sending, claimedAt = :now, attempts = if_not_exists(attempts, :zero) + :one, ' +
            Object.keys(messageFields(message))
              .map((field) => `#${field} = :${field}`)
              .join(', '),
          ConditionExpression: 'attribute_not_exists(pk) OR #status = :retry',
          ExpressionAttributeNames: {
            '#status': 'status',
            ...Object.fromEntries(Object.keys(messageFields(message)).map((field) => [`#${field}`, field])),
          },
          ExpressionAttributeValues: {
            ':sending': 'sending',
            ':retry': 'retry',
            ':now': now.getTime(),
            ':zero': 0,
            ':one': 1,
            ...Object.fromEntries(
              Object.entries(messageFields(message)).map(([field, value]) => [`:${field}`, value]),
            ),
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return { state: 'claimed', message: toEntity<Message>(previous ?? {}) };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const { Item } = await client.send(
        new GetCommand({ TableName: name, Key: keys.message(message.id), ConsistentRead: true }),
      );
      const existing = toEntity<Message & { claimedAt?: number }>(Item ?? {});
      if (existing.status === 'sending' && now.getTime() - (existing.claimedAt ?? 0) > CLAIM_TIMEOUT_MS) {
        return { state: 'interrupted', message: existing };
      }
      return { state: 'done', message: existing };
    }
  },
  async finish(message, counters, survey) {
    const items: NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']> = [
      {
        Put: {
          TableName: name,
          Item: messageItem(message),
          ConditionExpression: '#status = :sending',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':sending': 'sending' },
        },
      },
    ];
    if (Object.values(counters).some(Boolean)) {
      items.push({ Update: counterUpdate(name, message.campaignId, counters) });
    }
    if (survey) items.push(...surveyOpeningItems(name, survey));
    await client.send(new TransactWriteCommand({ TransactItems: items }));
  },
  async release(message) {
    await client.send(
      new UpdateCommand({
        TableName: name,
        Key: keys.message(message.id),
        UpdateExpression: 'SET #status = :retry',
        ConditionExpression: '#status = :sending',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':retry': 'retry', ':sending': 'sending' },
      }),
    );
  },
  list({ customerId, campaignId }, page) {
    const byCustomer = customerId !== undefined;
    return queryPage(
      client,
      {
        TableName: name,
        IndexName: byCustomer ? 'gsi3' : 'gsi1',
        KeyConditionExpression: '#pk = :pk',
        FilterExpression: byCustomer
          ? `entityType = :message${campaignId ? ' AND campaignId = :campaign' : ''}`
          : 'entityType = :message',
        ExpressionAttributeNames: { '#pk': byCustomer ? 'gsi3pk' : 'gsi1pk' },
        ExpressionAttributeValues: {
          ':pk': byCustomer
            ? keys.timelinePartition(customerId)
            : keys.campaignPartition(campaignId as string),
          ':message': 'message',
          ...(byCustomer && campaignId ? { ':campaign': campaignId } : {}),
        },
        ScanIndexForward: false,
      },
      page,
      (item) => {
        const { claimedAt: _claimed, ...message } = toEntity<Message & { claimedAt?: number }>(item);
        return message;
      },
    );
  },
});

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
