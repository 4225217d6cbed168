import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError, ValidationError } from '../../domain/errors.ts';
import type { Purchase } from '../../domain/purchase.ts';
import type { PurchaseRepository } from '../../ports/repositories.ts';
import { queryPage } from './cursor.ts';
import { CAUSE_ATTRIBUTE, keys, PURCHASE_DATE_SHARDS } from './keys.ts';
import { type Table, toEntity } from './table.ts';
import { conditionalWrite } from './write-failures.ts';

const toItem = (purchase: Purchase) => ({
  ...keys.purchase(purchase.customerId, purchase.id),
  ...keys.timeline(purchase.customerId, purchase.purchasedAt, purchase.id),
  ...keys.purchaseByDate(purchase.purchasedAt, purchase.customerId, purchase.id),
  entityType: 'purchase',
  ...purchase,
});

export const dynamoPurchaseRepository = ({ client, name }: Table): PurchaseRepository => ({
  dateShards: PURCHASE_DATE_SHARDS,
  async record(purchase) {
    const result = await conditionalWrite(() =>
      client.send(
        new TransactWriteCommand({
          TransactItems: [
            // The purchase is written only while its customer still exists, so no orphan is left by a
            // concurrent delete; the customer's running total moves in the same transaction.
            {
              Update: {
                TableName: name,
                Key: keys.customer(purchase.customerId),
                ConditionExpression: 'attribute_exists(pk)',
                UpdateExpression:
                  'SET totalSales = if_not_exists(totalSales, :zero) + :total, version = version + :one, updatedAt = :now REMOVE #cause',
                ExpressionAttributeNames: { '#cause': CAUSE_ATTRIBUTE },
                ExpressionAttributeValues: {
                  ':zero': 0,
                  ':one': 1,
                  ':total': purchase.total,
                  ':now': purchase.createdAt,
                },
              },
            },
            {
              Put: {
                TableName: name,
                Item: toItem(purchase),
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      ),
    );
    if (result.written) return;
    if (result.failed.includes(0)) throw ValidationError.field('customerId', 'no such customer');
    throw new ConflictError(`Purchase ${purchase.id} exists already.`);
  },

  async get(customerId, id) {
    const { Item } = await client.send(
      new GetCommand({ TableName: name, Key: keys.purchase(customerId, id) }),
    );
    return Item ? toEntity<Purchase>(Item) : undefined;
  },

  async listByCustomer(customerId, page) {
    return queryPage(
      client,
      {
        TableName: name,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: {
          ':pk': keys.customerPartition(customerId),
          ':prefix': keys.purchasePrefix,
        },
        ScanIndexForward: false,
      },
      page,
      (item) => toEntity<Purchase>(item),
    );
  },

  async replace(previous, next) {
    await client.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: name,
              Key: keys.customer(next.customerId),
              ConditionExpression: 'attribute_exists(pk)',
              UpdateExpression:
                'SET totalSales = if_not_exists(totalSales, :zero) + :delta, version = version + :one, updatedAt = :now REMOVE #cause',
              ExpressionAttributeNames: { '#cause': CAUSE_ATTRIBUTE },
              ExpressionAttributeValues: {
                ':zero': 0,
                ':one': 1,
                ':delta': Math.round((next.total - previous.total) * 100) / 100,
                ':now': next.createdAt,
              },
            },
          },
          {
            Put: {
              TableName: name,
              Item: toItem(next),
              // Only over the version read: a concurrent re-import of the same receipt loses and retries.
              ConditionExpression: '#total = :previousTotal AND purchasedAt = :previousAt',
              ExpressionAttributeNames: { '#total': 'total' },
              ExpressionAttributeValues: {
                ':previousTotal': previous.total,
                ':previousAt': previous.purchasedAt,
              },
            },
          },
        ],
      }),
    );
  },

  async since(shard, since, page) {
    return queryPage(
      client,
      {
        TableName: name,
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk >= :since',
        ExpressionAttributeValues: { ':pk': keys.purchaseByDatePartition(shard), ':since': since },
      },
      page,
      (item) => toEntity<Purchase>(item),
    );
  },
});
