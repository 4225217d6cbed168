import { BatchGetCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Touchpoint } from '../../domain/touchpoint.ts';
import type { TouchpointRepository } from '../../ports/campaign-repositories.ts';
import { queryAll, queryPage } from './cursor.ts';
import { keys, TOUCHPOINT_SHARDS } from './keys.ts';
import { isConditionFailure, type Table, toEntity } from './table.ts';

/** BatchGetItem's limit on keys per call. */
const BATCH_KEYS = 100;

/**
 * A delivery records what happened to a touchpoint on its message-ledger entry (same id) and no
 * longer writes the touchpoint too, so "still scheduled" means: status `scheduled` and no ledger
 * entry yet. Those with one (deferred, final, or being sent) are dropped here.
 */
const withoutLedgerEntry = async (
  { client, name }: Table,
  touchpoints: Touchpoint[],
): Promise<Touchpoint[]> => {
  const fired = new Set<string>();
  for (let start = 0; start < touchpoints.length; start += BATCH_KEYS) {
    let request:
      | Record<string, { Keys: Record<string, unknown>[]; ProjectionExpression: string }>
      | undefined = {
      [name]: {
        Keys: touchpoints.slice(start, start + BATCH_KEYS).map((t) => keys.message(t.id)),
        ProjectionExpression: 'pk',
      },
    };
    while (request && Object.keys(request).length > 0) {
      const { Responses, UnprocessedKeys } = await client.send(
        new BatchGetCommand({ RequestItems: request }),
      );
      for (const item of Responses?.[name] ?? []) fired.add(String(item.pk));
      request = UnprocessedKeys as typeof request;
    }
  }
  return touchpoints.filter((t) => !fired.has(keys.message(t.id).pk));
};

export const dynamoTouchpointRepository = (table: Table): TouchpointRepository => {
  const { client, name } = table;
  return {
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
      return withoutLedgerEntry(
        table,
        items.map((item) => toEntity<Touchpoint>(item)),
      );
    },
    async ofCampaign(campaignId, shard, page) {
      const found = await queryPage(
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
      return { ...found, items: await withoutLedgerEntry(table, found.items) };
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
  };
};
