import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  GetCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Customer } from '../../domain/customer.ts';
import { ConflictError } from '../../domain/errors.ts';
import type { Cause } from '../../events/domain-event.ts';
import type { CustomerRepository } from '../../ports/repositories.ts';
import { queryPage } from './cursor.ts';
import { CAUSE_ATTRIBUTE, keys, SHARDS } from './keys.ts';
import { queryShards } from './sharded-query.ts';
import { type Table, toEntity } from './table.ts';
import { conditionalWrite, isTransactionConflict } from './write-failures.ts';

/** The audience of a broadcast is read in this many independent segments: the shards of the type index. */
export const AUDIENCE_SEGMENTS = SHARDS;

/** TransactWriteItems takes at most 100 items. */
const TRANSACTION_LIMIT = 100;

type TransactItems = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>;

const toItem = (customer: Customer, cause?: Cause) => ({
  ...keys.customer(customer.id),
  ...(customer.ownerId ? keys.customerByOwner(customer.ownerId, customer.id) : {}),
  ...keys.customerByType(customer.id),
  entityType: 'customer',
  ...customer,
  ...(cause ? { [CAUSE_ATTRIBUTE]: cause } : {}),
});

const phoneItem = (phone: string, customerId: string) => ({ ...keys.phone(phone), customerId });

const phoneTaken = (phone: string) =>
  new ConflictError(`The phone ${phone} already belongs to another customer.`, [
    { path: 'phone', message: 'already belongs to another customer' },
  ]);

const externalItem = (externalId: string, customerId: string) => ({
  ...keys.externalId(externalId),
  customerId,
});
const externalIdTaken = (externalId: string) =>
  new ConflictError(`The member number ${externalId} already belongs to another customer.`, [
    { path: 'externalId', message: 'already belongs to another customer' },
  ]);

/**
 * The unique index items (phone, member number) that go with a change from `previous` to `next`:
 * claim the new value, release the old one. Each claim carries the conflict its failure means.
 */
const uniqueIndexChanges = (
  name: string,
  previous: Customer | undefined,
  next: Customer | undefined,
): { items: TransactItems; conflicts: (ConflictError | undefined)[] } => {
  const items: TransactItems = [];
  const conflicts: (ConflictError | undefined)[] = [];
  const indexes = [
    { value: (c?: Customer) => c?.phone, key: keys.phone, item: phoneItem, taken: phoneTaken },
    {
      value: (c?: Customer) => c?.externalId,
      key: keys.externalId,
      item: externalItem,
      taken: externalIdTaken,
    },
  ];
  for (const index of indexes) {
    const before = index.value(previous);
    const after = index.value(next);
    if (before === after) continue;
    if (after && next) {
      items.push({
        Put: {
          TableName: name,
          Item: index.item(after, next.id),
          ConditionExpression: 'attribute_not_exists(pk) OR customerId = :id',
          ExpressionAttributeValues: { ':id': next.id },
        },
      });
      conflicts.push(index.taken(after));
    }
    if (before && previous) {
      items.push({
        Delete: {
          TableName: name,
          Key: index.key(before),
          ConditionExpression: 'attribute_not_exists(pk) OR customerId = :id',
          ExpressionAttributeValues: { ':id': previous.id },
        },
      });
      conflicts.push(undefined);
    }
  }
  return { items, conflicts };
};

const tagsOf = (customer: Customer | undefined) => new Set(customer?.tags ?? []);

export const dynamoCustomerRepository = ({ client, name }: Table): CustomerRepository => {
  /** The tag index items that change with a customer: one item per tag, added and removed with it. */
  const tagChanges = (previous: Customer | undefined, next: Customer | undefined) => {
    const before = tagsOf(previous);
    const after = tagsOf(next);
    const id = (next ?? previous)?.id as string;
    const puts = [...after]
      .filter((tag) => !before.has(tag))
      .map((tag) => ({ Put: { TableName: name, Item: keys.customerTag(id, tag) } }));
    const deletes = [...before]
      .filter((tag) => !after.has(tag))
      .map((tag) => {
        const { pk, sk } = keys.customerTag(id, tag);
        return { Delete: { TableName: name, Key: { pk, sk } } };
      });
    return { puts, deletes };
  };

  /**
   * Writes the customer's items in one transaction. Tag removals that would push it past 100 items
   * (a customer swapping dozens of tags at once) follow it; a tag item left behind by a crash is
   * harmless, because a tag list keeps only customers who still carry the tag.
   */
  const transact = async (
    items: TransactItems,
    tags: ReturnType<typeof tagChanges>,
    /** What a failed condition on item i + 1 (a unique index item) means; item 0 is the customer. */
    conflicts: (ConflictError | undefined)[] = [],
  ) => {
    const room = TRANSACTION_LIMIT - items.length - tags.puts.length;
    const inside = tags.deletes.slice(0, Math.max(0, room));
    const after = tags.deletes.slice(inside.length);
    const result = await conditionalWrite(() =>
      client.send(new TransactWriteCommand({ TransactItems: [...items, ...tags.puts, ...inside] })),
    ).catch((error: unknown) => {
      // A concurrent transaction on the same item is a lost race too, for the caller to retry.
      if (isTransactionConflict(error)) return { written: false as const, failed: [] as number[] };
      throw error;
    });
    if (!result.written) {
      const taken = result.failed.map((i) => conflicts[i - 1]).find((conflict) => conflict !== undefined);
      if (taken) throw taken;
      return false;
    }
    for (let start = 0; start < after.length; start += 25) {
      await client.send(
        new BatchWriteCommand({
          RequestItems: {
            [name]: after.slice(start, start + 25).map((d) => ({ DeleteRequest: { Key: d.Delete.Key } })),
          },
        }),
      );
    }
    return true;
  };

  const getMany = async (ids: string[]): Promise<Map<string, Customer>> => {
    const found = new Map<string, Customer>();
    let request: Record<string, { Keys: Record<string, unknown>[] }> | undefined =
      ids.length > 0 ? { [name]: { Keys: ids.map((id) => keys.customer(id)) } } : undefined;
    while (request && Object.keys(request).length > 0) {
      const { Responses, UnprocessedKeys } = await client.send(
        new BatchGetCommand({ RequestItems: request }),
      );
      for (const item of Responses?.[name] ?? []) found.set(String(item.id), toEntity<Customer>(item));
      request = UnprocessedKeys as typeof request;
    }
    return found;
  };

  return {
    audienceSegments: AUDIENCE_SEGMENTS,

    async get(id) {
      const { Item } = await client.send(new GetCommand({ TableName: name, Key: keys.customer(id) }));
      return Item ? toEntity<Customer>(Item) : undefined;
    },

    async create(customer) {
      const unique = uniqueIndexChanges(name, undefined, customer);
      const items: TransactItems = [
        { Put: { TableName: name, Item: toItem(customer), ConditionExpression: 'attribute_not_exists(pk)' } },
        ...unique.items,
      ];
      if (!(await transact(items, tagChanges(undefined, customer), unique.conflicts)))
        throw new ConflictError(`Customer ${customer.id} already exists.`);
    },

    async replace(previous, next, cause) {
      const unique = uniqueIndexChanges(name, previous, next);
      const items: TransactItems = [
        {
          Put: {
            TableName: name,
            Item: toItem(next, cause),
            ConditionExpression: 'version = :version',
            ExpressionAttributeValues: { ':version': previous.version },
          },
        },
        ...unique.items,
      ];
      return transact(items, tagChanges(previous, next), unique.conflicts);
    },

    async delete(customer) {
      const unique = uniqueIndexChanges(name, customer, undefined);
      if (unique.items.length === 0 && (customer.tags ?? []).length === 0) {
        await client.send(new DeleteCommand({ TableName: name, Key: keys.customer(customer.id) }));
        return;
      }
      const items: TransactItems = [
        { Delete: { TableName: name, Key: keys.customer(customer.id) } },
        ...unique.items,
      ];
      // An index item names someone else: the profile read was stale; nothing was deleted.
      if (!(await transact(items, tagChanges(customer, undefined))))
        throw new ConflictError(`Customer ${customer.id} changed while it was being deleted.`);
    },

    async list(filter, page) {
      if (filter.ownerId !== undefined) {
        // One owner's customers: a partition of its own, bounded by what one person owns.
        return queryPage(
          client,
          {
            TableName: name,
            IndexName: 'gsi1',
            KeyConditionExpression: 'gsi1pk = :pk',
            ...(filter.tag ? { FilterExpression: 'contains(tags, :tag)' } : {}),
            ExpressionAttributeValues: {
              ':pk': keys.ownerPartition(filter.ownerId),
              ...(filter.tag ? { ':tag': filter.tag } : {}),
            },
          },
          page,
          (item) => toEntity<Customer>(item),
        );
      }
      if (filter.tag !== undefined) {
        const tag = filter.tag;
        // The tag index names the tagged customers; their profiles come in one BatchGetItem.
        const ids = await queryShards(
          client,
          { tableName: name, index: 'gsi2', partitions: keys.tagShards(tag) },
          page,
          (item) => String(item.gsi2sk),
        );
        const customers = await getMany(ids.items);
        return {
          items: ids.items.flatMap((id) => {
            const customer = customers.get(id);
            return customer?.tags?.includes(tag) ? [customer] : [];
          }),
          ...(ids.nextCursor ? { nextCursor: ids.nextCursor } : {}),
        };
      }
      return queryShards(
        client,
        { tableName: name, index: 'gsi2', partitions: keys.customerTypeShards() },
        page,
        (item) => toEntity<Customer>(item),
      );
    },

    pageSegment(segment, page) {
      if (!Number.isInteger(segment) || segment < 0 || segment >= AUDIENCE_SEGMENTS) {
        throw new RangeError(`segment must be 0..${AUDIENCE_SEGMENTS - 1}`);
      }
      return queryPage(
        client,
        {
          TableName: name,
          IndexName: 'gsi2',
          KeyConditionExpression: 'gsi2pk = :pk',
          ExpressionAttributeValues: { ':pk': keys.customerTypeShard(segment) },
        },
        page,
        (item) => toEntity<Customer>(item),
      );
    },

    async findIdByPhone(e164) {
      const { Item } = await client.send(new GetCommand({ TableName: name, Key: keys.phone(e164) }));
      return Item?.customerId as string | undefined;
    },

    async findIdByExternalId(externalId) {
      const { Item } = await client.send(
        new GetCommand({ TableName: name, Key: keys.externalId(externalId) }),
      );
      return Item?.customerId as string | undefined;
    },

    async getManyByExternalId(externalIds) {
      const unique = [...new Set(externalIds)];
      const found = new Map<string, Customer>();
      for (let start = 0; start < unique.length; start += 100) {
        let request: Record<string, { Keys: Record<string, unknown>[] }> | undefined = {
          [name]: { Keys: unique.slice(start, start + 100).map(keys.externalId) },
        };
        const ids: string[] = [];
        while (request && Object.keys(request).length > 0) {
          const { Responses, UnprocessedKeys } = await client.send(
            new BatchGetCommand({ RequestItems: request }),
          );
          for (const item of Responses?.[name] ?? []) ids.push(String(item.customerId));
          request = UnprocessedKeys as typeof request;
        }
        for (const customer of (await getMany(ids)).values())
          if (customer.externalId !== undefined) found.set(customer.externalId, customer);
      }
      return found;
    },
  };
};
