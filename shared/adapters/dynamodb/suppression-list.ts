import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import {
  type Channel,
  reasonCode,
  type Suppression,
  type SuppressionReasonCode,
} from '../../domain/suppression.ts';
import type { SuppressionList } from '../../ports/suppressions.ts';
import { queryPage } from './cursor.ts';
import { keys } from './keys.ts';
import { isConditionFailure, type Table } from './table.ts';

/** Reason texts stored before reasons had codes, per code, so a condition can match either. */
const LEGACY_REASONS: Partial<Record<SuppressionReasonCode, string[]>> = {
  'opt-out': ['STOP reply'],
  unsubscribe: ['unsubscribe link'],
};

export const suppressionItem = (entry: Suppression) => ({
  ...keys.optOut(entry.channel, entry.address),
  ...keys.suppressionListed(entry.channel, entry.createdAt, entry.address),
  entityType: 'suppression',
  ...entry,
  // `at` is what isOptedOut's callers and older items know; kept alongside createdAt.
  at: entry.createdAt,
});

/** A Put for a transaction; it never overwrites an entry, so the first reason and date stay. */
export const suppressionPut = (tableName: string, entry: Suppression) => ({
  Put: {
    TableName: tableName,
    Item: suppressionItem(entry),
    ConditionExpression: 'attribute_not_exists(pk)',
  },
});

const reasonCondition = (reasons: SuppressionReasonCode[]) => {
  const values = reasons.flatMap((r) => [r, ...(LEGACY_REASONS[r] ?? [])]);
  return {
    ConditionExpression: `attribute_not_exists(pk) OR #reason IN (${values.map((_, i) => `:r${i}`).join(', ')})`,
    ExpressionAttributeNames: { '#reason': 'reason' },
    ExpressionAttributeValues: Object.fromEntries(values.map((v, i) => [`:r${i}`, v])),
  };
};

/** A Delete for a transaction that removes the entry only when its reason is one of `reasons`. */
export const suppressionDelete = (
  tableName: string,
  channel: Channel,
  address: string,
  reasons: SuppressionReasonCode[],
) => ({
  Delete: { TableName: tableName, Key: keys.optOut(channel, address), ...reasonCondition(reasons) },
});

/** Items from before the list had codes carry `reason` as free text and `at` instead of createdAt. */
const fromItem = (item: Record<string, unknown>): Suppression => {
  const pk = String(item.pk);
  return {
    channel: (item.channel as Channel) ?? (pk.split('#')[1] as Channel),
    address: String(item.address ?? pk.split('#').slice(2).join('#')),
    reason: reasonCode(String(item.reason ?? 'manual')),
    source: String(item.source ?? item.reason ?? 'unknown'),
    createdAt: String(item.createdAt ?? item.at),
    ...(item.customerId ? { customerId: String(item.customerId) } : {}),
  };
};

export const dynamoSuppressionList = ({ client, name }: Table): SuppressionList => {
  const get = async (channel: Channel, address: string) => {
    const { Item } = await client.send(
      new GetCommand({ TableName: name, Key: keys.optOut(channel, address), ConsistentRead: true }),
    );
    return Item ? fromItem(Item) : undefined;
  };
  const add = async (entry: Suppression) => {
    try {
      await client.send(new PutCommand(suppressionPut(name, entry).Put));
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  };
  return {
    get,
    add,
    async isOptedOut(channel, address) {
      const { Item } = await client.send(
        new GetCommand({ TableName: name, Key: keys.optOut(channel, address) }),
      );
      return Item !== undefined;
    },
    async optOut(channel, address, reason, at) {
      await add({
        channel,
        address,
        reason: reasonCode(reason),
        source: reason,
        createdAt: at.toISOString(),
      });
    },
    async optIn(channel, address) {
      await client.send(new DeleteCommand({ TableName: name, Key: keys.optOut(channel, address) }));
    },
    async remove(channel, address, reasons) {
      try {
        const { Attributes } = await client.send(
          new DeleteCommand({
            TableName: name,
            Key: keys.optOut(channel, address),
            ...(reasons ? reasonCondition(reasons) : {}),
            ReturnValues: 'ALL_OLD',
          }),
        );
        return Attributes ? fromItem(Attributes) : undefined;
      } catch (error) {
        if (isConditionFailure(error)) return undefined;
        throw error;
      }
    },
    list: ({ channel }, page) =>
      queryPage(
        client,
        {
          TableName: name,
          IndexName: 'gsi2',
          KeyConditionExpression: channel ? 'gsi2pk = :pk AND begins_with(gsi2sk, :channel)' : 'gsi2pk = :pk',
          ExpressionAttributeValues: {
            ':pk': keys.suppressionsPartition,
            ...(channel ? { ':channel': `${channel}#` } : {}),
          },
          ScanIndexForward: false,
        },
        page,
        fromItem,
      ),
  };
};
