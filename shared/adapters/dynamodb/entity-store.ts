import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Page } from '../../domain/common.ts';
import type { Cause } from '../../events/domain-event.ts';
import type { PageRequest } from '../../ports/repositories.ts';
import { queryPage } from './cursor.ts';
import { CAUSE_ATTRIBUTE, type EntityType, keys } from './keys.ts';
import { isLostRace, type Table, toEntity } from './table.ts';
import { conditionalWrite } from './write-failures.ts';

type Versioned = { id: string; version: number };
type StoredType = 'opportunity' | 'order' | 'task' | 'rule' | 'campaign' | 'lead';

export interface QueryOptions {
  index?: 'gsi1' | 'gsi2' | 'gsi3';
  partition: string;
  beginsWith?: string;
  newestFirst?: boolean;
  filter?: Record<string, string | number>;
}

/**
 * Get, versioned put and query for the simple entities (opportunities, orders, tasks, rules), so
 * each repository only states its keys and indexes.
 */
/** The stored item of a simple entity: its keys, its type index, its own indexes and its fields. */
export const entityItem = <T extends Versioned>(
  type: StoredType,
  entity: T,
  indexes: (entity: T) => Record<string, string>,
  cause?: Cause,
) => ({
  ...keys.entity(type, entity.id),
  ...keys.byType(type as EntityType, entity.id),
  ...indexes(entity),
  entityType: type,
  ...entity,
  ...(cause ? { [CAUSE_ATTRIBUTE]: cause } : {}),
});

export const entityStore = <T extends Versioned>(
  { client, name }: Table,
  type: StoredType,
  indexes: (entity: T) => Record<string, string>,
) => {
  const item = (entity: T, cause?: Cause) => entityItem(type, entity, indexes, cause);

  return {
    async get(id: string): Promise<T | undefined> {
      const { Item } = await client.send(new GetCommand({ TableName: name, Key: keys.entity(type, id) }));
      return Item ? toEntity<T>(Item) : undefined;
    },

    /** False when an entity with this id exists already (a retried create). */
    async create(entity: T, cause?: Cause): Promise<boolean> {
      const result = await conditionalWrite(() =>
        client.send(
          new PutCommand({
            TableName: name,
            Item: item(entity, cause),
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      );
      return result.written;
    },

    /** False when the stored version is no longer `previous.version`. */
    async replace(previous: T, next: T, cause?: Cause): Promise<boolean> {
      const result = await conditionalWrite(
        () =>
          client.send(
            new PutCommand({
              TableName: name,
              Item: item(next, cause),
              ConditionExpression: 'version = :version',
              ExpressionAttributeValues: { ':version': previous.version },
            }),
          ),
        // A write overlapping another writer's transaction lost the race too: the caller retries.
      ).catch((error: unknown) => {
        if (isLostRace(error)) return { written: false as const };
        throw error;
      });
      return result.written;
    },

    async delete(id: string): Promise<void> {
      await client.send(new DeleteCommand({ TableName: name, Key: keys.entity(type, id) }));
    },

    async query(options: QueryOptions, page: PageRequest): Promise<Page<T>> {
      const pk = options.index ? `${options.index}pk` : 'pk';
      const sk = options.index ? `${options.index}sk` : 'sk';
      const filters = Object.entries(options.filter ?? {});
      return queryPage(
        client,
        {
          TableName: name,
          ...(options.index ? { IndexName: options.index } : {}),
          KeyConditionExpression: options.beginsWith
            ? '#pk = :pk AND begins_with(#sk, :prefix)'
            : '#pk = :pk',
          ...(filters.length > 0
            ? { FilterExpression: filters.map((_, i) => `#f${i} = :f${i}`).join(' AND ') }
            : {}),
          ExpressionAttributeNames: {
            '#pk': pk,
            ...(options.beginsWith ? { '#sk': sk } : {}),
            ...Object.fromEntries(filters.map(([field], i) => [`#f${i}`, field])),
          },
          ExpressionAttributeValues: {
            ':pk': options.partition,
            ...(options.beginsWith ? { ':prefix': options.beginsWith } : {}),
            ...Object.fromEntries(filters.map(([, value], i) => [`:f${i}`, value])),
          },
          ScanIndexForward: !options.newestFirst,
        },
        page,
        (i) => toEntity<T>(i),
      );
    },
  };
};

export type EntityStore<T extends Versioned> = ReturnType<typeof entityStore<T>>;
