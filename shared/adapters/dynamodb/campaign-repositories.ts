import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Campaign, CampaignCounter, CampaignStats } from '../../domain/campaign.ts';
import type { Touchpoint } from '../../domain/touchpoint.ts';
import type {
  CampaignRepository,
  FrequencyCap,
  OptOutList,
  TouchpointRepository,
} from '../../ports/campaign-repositories.ts';
import { keys } from '../../table/keys.ts';
import { queryAll, queryPage } from './cursor.ts';
import { entityStore } from './entity-store.ts';
import { isConditionFailure, type Table, toEntity } from './table.ts';

const COUNTERS: CampaignCounter[] = [
  'scheduled',
  'sent',
  'suppressed',
  'failed',
  'holdout',
  'surveys',
  'replies',
  'satisfied',
  'unsatisfied',
];

export const dynamoCampaignRepository = (table: Table): CampaignRepository => {
  // Only active lifecycle campaigns carry the sparse index key, so planning reads just them.
  const store = entityStore<Campaign>(table, 'campaign', (campaign) =>
    campaign.status === 'active' && campaign.kind === 'lifecycle' ? keys.activeLifecycle(campaign.id) : {},
  );
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
      const items = await queryAll(client, {
        TableName: name,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.activeLifecyclePartition },
      });
      return items.map((item) => toEntity<Campaign>(item));
    },
    /** The sum of the campaign's counter items: the stream's shards and the replies' own item. */
    async stats(id) {
      const items = await queryAll(client, {
        TableName: name,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :stats)',
        ExpressionAttributeValues: { ':pk': keys.campaignStats(id).pk, ':stats': keys.statsPrefix },
      });
      return Object.fromEntries(
        COUNTERS.map((counter) => [
          counter,
          items.reduce((sum, item) => sum + Number(item[counter] ?? 0), 0),
        ]),
      ) as CampaignStats;
    },
  };
};

export const dynamoTouchpointRepository = ({ client, name }: Table): TouchpointRepository => ({
  async add(touchpoint) {
    try {
      await client.send(
        new PutCommand({
          TableName: name,
          Item: {
            ...keys.touchpoint(touchpoint.customerId, touchpoint.id),
            ...keys.touchpointOfCampaign(touchpoint.campaignId, touchpoint.id),
            entityType: 'touchpoint',
            ...touchpoint,
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
  ofCampaign(campaignId, shard, page) {
    return queryPage(
      client,
      {
        TableName: name,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        FilterExpression: '#status = :scheduled',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':pk': keys.touchpointOfCampaignPartition(campaignId, shard),
          ':scheduled': 'scheduled',
        },
      },
      page,
      (item) => toEntity<Touchpoint>(item),
    );
  },
  async reschedule(touchpoint, fireAt) {
    await client
      .send(
        new UpdateCommand({
          TableName: name,
          Key: keys.touchpoint(touchpoint.customerId, touchpoint.id),
          UpdateExpression: 'SET fireAt = :fireAt',
          ConditionExpression: '#status = :scheduled',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':fireAt': fireAt, ':scheduled': 'scheduled' },
        }),
      )
      .catch((error: unknown) => {
        if (!isConditionFailure(error)) throw error;
      });
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

export const dynamoOptOutList = ({ client, name }: Table): OptOutList => ({
  async isOptedOut(channel, address) {
    const { Item } = await client.send(
      new GetCommand({ TableName: name, Key: keys.optOut(channel, address) }),
    );
    return Item !== undefined;
  },
  async optOut(channel, address, reason, at) {
    await client.send(
      new PutCommand({
        TableName: name,
        Item: { ...keys.optOut(channel, address), channel, reason, at: at.toISOString() },
      }),
    );
  },
  async optIn(channel, address) {
    await client.send(new DeleteCommand({ TableName: name, Key: keys.optOut(channel, address) }));
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
