import { DeleteCommand, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
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

const phoneTaken = (phone: string) =>
  new ConflictError(`The phone ${phone} already belongs to another customer.`, [
    { path: 'phone', message: 'already belongs to another customer' },
  ]);

export const dynamoCustomerRepository = ({ client, name }: Table): CustomerRepository => {
  const transact = async (
    items: NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>,
    phone?: string,
  ) => {
    try {
      await client.send(new TransactWriteCommand({ TransactItems: items }));
      return true;
    } catch (error) {
      if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') throw error;
      const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
      // Item 0 is always the customer itself; any later failed condition is the phone index.
      if (phone && reasons.slice(1).some((reason) => reason.Code === 'ConditionalCheckFailed'))
        throw phoneTaken(phone);
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
      const items: Parameters<typeof transact>[0] = [
        { Put: { TableName: name, Item: toItem(customer), ConditionExpression: 'attribute_not_exists(pk)' } },
      ];
      if (customer.phone) {
        items.push({
          Put: {
            TableName: name,
            Item: phoneItem(customer.phone, customer.id),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        });
      }
      if (!(await transact(items, customer.phone)))
        throw new ConflictError(`Customer ${customer.id} already exists.`);
    },

    async replace(previous, next, cause) {
      const items: Parameters<typeof transact>[0] = [
        {
          Put: {
            TableName: name,
            Item: toItem(next, cause),
            ConditionExpression: 'version = :version',
            ExpressionAttributeValues: { ':version': previous.version },
          },
        },
      ];
      if (previous.phone !== next.phone) {
        if (next.phone) {
          items.push({
            Put: {
              TableName: name,
              Item: phoneItem(next.phone, next.id),
              ConditionExpression: 'attribute_not_exists(pk) OR customerId = :id',
              ExpressionAttributeValues: { ':id': next.id },
            },
          });
        }
        if (previous.phone) items.push({ Delete: { TableName: name, Key: keys.phone(previous.phone) } });
      }
      return transact(items, next.phone);
    },

    async delete(customer) {
      if (!customer.phone) {
        await client.send(new DeleteCommand({ TableName: name, Key: keys.customer(customer.id) }));
        return;
      }
      await client.send(
        new TransactWriteCommand({
          TransactItems: [
            { Delete: { TableName: name, Key: keys.customer(customer.id) } },
            {
              Delete: {
                TableName: name,
                Key: keys.phone(customer.phone),
                ConditionExpression: 'attribute_not_exists(pk) OR customerId = :id',
                ExpressionAttributeValues: { ':id': customer.id },
              },
            },
          ],
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
  };
};
