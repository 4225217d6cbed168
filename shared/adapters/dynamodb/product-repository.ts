import { BatchGetCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Product } from '../../domain/product.ts';
import type { ProductRepository } from '../../ports/repositories.ts';
import { queryPage } from './cursor.ts';
import { keys } from './keys.ts';
import { type Table, toEntity } from './table.ts';
import { conditionalWrite } from './write-failures.ts';

const BATCH_GET_LIMIT = 100;

export const dynamoProductRepository = ({ client, name }: Table): ProductRepository => ({
  async get(sku) {
    const { Item } = await client.send(new GetCommand({ TableName: name, Key: keys.product(sku) }));
    return Item ? toEntity<Product>(Item) : undefined;
  },

  async getMany(skus) {
    const found = new Map<string, Product>();
    const unique = [...new Set(skus)];
    for (let start = 0; start < unique.length; start += BATCH_GET_LIMIT) {
      let request: Record<string, { Keys: Record<string, unknown>[] }> | undefined = {
        [name]: { Keys: unique.slice(start, start + BATCH_GET_LIMIT).map(keys.product) },
      };
      while (request && Object.keys(request).length > 0) {
        const { Responses, UnprocessedKeys } = await client.send(
          new BatchGetCommand({ RequestItems: request }),
        );
        for (const item of Responses?.[name] ?? []) {
          const product = toEntity<Product>(item);
          found.set(product.sku, product);
        }
        request = UnprocessedKeys as typeof request;
      }
    }
    return found;
  },

  async put(product, expectedVersion) {
    const result = await conditionalWrite(() =>
      client.send(
        new PutCommand({
          TableName: name,
          Item: {
            ...keys.product(product.sku),
            ...keys.byType('product', product.sku),
            entityType: 'product',
            ...product,
          },
          ...(expectedVersion === undefined
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                ConditionExpression: 'version = :version',
                ExpressionAttributeValues: { ':version': expectedVersion },
              }),
        }),
      ),
    );
    return result.written;
  },

  async list(page) {
    return queryPage(
      client,
      {
        TableName: name,
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.typePartition('product') },
      },
      page,
      (item) => toEntity<Product>(item),
    );
  },
});
