import { BatchGetCommand, DeleteCommand, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Customer } from '../../domain/customer.ts';
import { ConflictError } from '../../domain/errors.ts';
import type { Cause } from '../../events/domain-event.ts';
import type { CustomerRepository } from '../../ports/repositories.ts';
import { CAUSE_ATTRIBUTE, keys } from '../../table/keys.ts';
import { queryPage } from './cursor.ts';
import { type Table, toEntity } from './table.ts';

const toItem = (customer: Customer, cause?: Cause) => ({
  ...keys.customer(customer.id),
  ...(customer.ownerId ? keys.customerByOwner(customer.ownerId, customer.id) : {}),
  ...keys.byType('customer', customer.id),
  entityType: 'customer',
  ...customer,
  ...(cause ? { [CAUSE_ATTRIBUTE]: cause } : {}),
});

const phoneItem = (phone: string, customerId: string) => ({ ...keys.phone(phone), customerId });
const externalItem = (externalId: string, customerId: string) => ({
  ...keys.externalId(externalId),
  customerId,
});

const phoneTaken = (phone: string) =>
  new ConflictError(`The phone ${phone} already belongs to another customer.`, [
    { path: 'phone', message: 'already belongs to another customer' },
  ]);
const externalIdTaken = (externalId: string) =>
  new ConflictError(`The member number ${externalId} already belongs to another customer.`, [
    { path: 'externalId', message: 'already belongs to another customer' },
  ]);

type TransactItems = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>;

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

export const dynamoCustomerRepository = ({ client, name }: Table): CustomerRepository => {
  /** BatchGetItem of up to 100 keys at a time, retrying what DynamoDB left unprocessed. */
  const batchGet = async (keyList: Record<string, unknown>[]) => {
    const items: Record<string, unknown>[] = [];
    for (let start = 0; start < keyList.length; start += 100) {
      let request: Record<string, { Keys: Record<string, unknown>[] }> | undefined = {
        [name]: { Keys: keyList.slice(start, start + 100) },
      };
      while (request && Object.keys(request).length > 0) {
        const { Responses, UnprocessedKeys } = await client.send(
          new BatchGetCommand({ RequestItems: request }),
        );
        items.push(...(Responses?.[name] ?? []));
        request = UnprocessedKeys as typeof request;
      }
    }
    return items;
  };

  /** Item 0 is always the customer itself; `conflicts[i]` is what a failed condition on item i + 1 means. */
  const transact = async (items: TransactItems, conflicts: (ConflictError | undefined)[] = []) => {
    try {
      await client.send(new TransactWriteCommand({ TransactItems: items }));
      return true;
    } catch (error) {
      if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') throw error;
      const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
      const taken = reasons
        .slice(1)
        .findIndex((reason, i) => reason.Code === 'ConditionalCheckFailed' && conflicts[i]);
      if (taken >= 0) throw conflicts[taken];
      // A stale version, or a concurrent transaction on the same item: either way a lost race to retry.
      if (
        reasons.some(
          (reason) => reason.Code === 'ConditionalCheckFailed' || reason.Code === 'TransactionConflict',
        )
      )
        return false;
      throw error;
    }
  };

  return {
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
      if (!(await transact(items, unique.conflicts)))
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
      return transact(items, unique.conflicts);
    },

    async delete(customer) {
      const unique = uniqueIndexChanges(name, customer, undefined);
      if (unique.items.length === 0) {
        await client.send(new DeleteCommand({ TableName: name, Key: keys.customer(customer.id) }));
        return;
      }
      await client.send(
        new TransactWriteCommand({
          TransactItems: [{ Delete: { TableName: name, Key: keys.customer(customer.id) } }, ...unique.items],
        }),
      );
    },

    async list(filter, page) {
      const byOwner = filter.ownerId !== undefined;
      return queryPage(
        client,
        {
          TableName: name,
          IndexName: byOwner ? 'gsi1' : 'gsi2',
          KeyConditionExpression: byOwner ? 'gsi1pk = :pk' : 'gsi2pk = :pk',
          // A tag is a filter within the owner's or the whole list, so a page may hold fewer than `limit` items.
          ...(filter.tag ? { FilterExpression: 'contains(tags, :tag)' } : {}),
          ExpressionAttributeValues: {
            ':pk': byOwner ? keys.ownerPartition(filter.ownerId as string) : keys.typePartition('customer'),
            ...(filter.tag ? { ':tag': filter.tag } : {}),
          },
        },
        page,
        (item) => toEntity<Customer>(item),
      );
    },

    // One segment until the type index is sharded; each shard then becomes a segment.
    audienceSegments: 1,
    pageSegment(_segment, page) {
      return this.list({}, page);
    },
    async findIdByPhone(e164) {
      const { Item } = await client.send(new GetCommand({ TableName: name, Key: keys.phone(e164) }));
      return Item?.customerId as string | undefined;
    },
    async getManyByExternalId(externalIds) {
      const unique = [...new Set(externalIds)];
      if (unique.length === 0) return new Map();
      const index = await batchGet(unique.map(keys.externalId));
      const ids = index.map((item) => item.customerId as string);
      const customers = ids.length > 0 ? await batchGet(ids.map(keys.customer)) : [];
      return new Map(
        customers
          .map((item) => toEntity<Customer>(item))
          .filter((customer) => customer.externalId !== undefined)
          .map((customer) => [customer.externalId as string, customer]),
      );
    },
    async findIdByExternalId(externalId) {
      const { Item } = await client.send(
        new GetCommand({ TableName: name, Key: keys.externalId(externalId) }),
      );
      return Item?.customerId as string | undefined;
    },
  };
};
