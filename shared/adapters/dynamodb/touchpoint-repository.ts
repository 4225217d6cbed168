import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Touchpoint } from '../../domain/touchpoint.ts';
import type { TouchpointRepository } from '../../ports/campaign-repositories.ts';
import { queryAll, queryPage } from './cursor.ts';
import { keys, TOUCHPOINT_SHARDS } from './keys.ts';
import { isConditionFailure, type Table, toEntity } from './table.ts';

export const dynamoTouchpointRepository = ({ client, name }: Table): TouchpointRepository => ({
  shards: TOUCHPOINT_SHARDS,
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
