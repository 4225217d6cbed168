import { GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Exposure, ExposureStore } from '../../ports/exposures.ts';
import { queryAll } from './cursor.ts';
import { counterUpdates } from './event-counters.ts';
import { keys } from './keys.ts';
import { isConditionFailure, type Table } from './table.ts';
import { failedConditions } from './write-failures.ts';

/** Stream records live 24 hours; a marker outliving that by a day can never be needed again. */
const MARKER_SECONDS = 2 * 86_400;
/** Entries per transaction: each has a marker and at most three counter rows (totals, day, variant). */
const CHUNK = 20;

/** An exposure is kept until its goal's window has passed, plus slack for late purchase events. */
const SLACK_DAYS = 7;
const NO_GOAL_DAYS = 400;

const toExposure = (item: Record<string, unknown>): Exposure => {
  const { pk: _pk, sk: _sk, ttl: _ttl, ...exposure } = item;
  return exposure as unknown as Exposure;
};

/**
 * Exposures in the customer's partition (CUSTOMER#id / EXPOSURE#campaignId). They carry no
 * entityType, so the stream readers let them pass by. A conversion is a conditional update of the
 * exposure in the same transaction as its counter ADDs: a redelivered purchase event, or a second
 * purchase, finds it converted and adds nothing.
 */
export const dynamoExposureStore = ({ client, name }: Table): ExposureStore => ({
  async record(exposure) {
    const days = exposure.goal ? exposure.goal.withinDays + SLACK_DAYS : NO_GOAL_DAYS;
    try {
      await client.send(
        new PutCommand({
          TableName: name,
          Item: {
            ...keys.exposure(exposure.customerId, exposure.campaignId),
            ...exposure,
            ttl: Math.floor(Date.parse(exposure.sentAt) / 1000) + days * 86_400,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  },

  async get(customerId, campaignId) {
    const { Item } = await client.send(
      new GetCommand({ TableName: name, Key: keys.exposure(customerId, campaignId) }),
    );
    return Item ? toExposure(Item) : undefined;
  },

  async ofCustomer(customerId) {
    const items = await queryAll(client, {
      TableName: name,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: {
        ':pk': keys.customerPartition(customerId),
        ':prefix': keys.exposurePrefix,
      },
      ConsistentRead: true,
    });
    return items.map(toExposure);
  },

  async countOnce(entries, now) {
    const write = (chunk: typeof entries) =>
      client.send(
        new TransactWriteCommand({
          TransactItems: [
            ...chunk.map((entry) => ({
              Put: {
                TableName: name,
                Item: {
                  ...keys.countedEvent(`effect:${entry.id}`),
                  ttl: Math.floor(now.getTime() / 1000) + MARKER_SECONDS,
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            })),
            ...counterUpdates(
              name,
              chunk.flatMap((entry) => entry.deltas),
            ),
          ],
        }),
      );
    for (let start = 0; start < entries.length; start += CHUNK) {
      const chunk = entries.slice(start, start + CHUNK);
      try {
        await write(chunk);
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        // Part of a redelivered batch: count entry by entry, skipping the ones counted before.
        for (const entry of chunk) {
          await write([entry]).catch((e: unknown) => {
            if (!isConditionFailure(e)) throw e;
          });
        }
      }
    }
  },

  async convert(exposure, conversion, deltas) {
    try {
      await client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: name,
                Key: keys.exposure(exposure.customerId, exposure.campaignId),
                UpdateExpression: 'SET convertedAt = :at, convertedBy = :by',
                ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(convertedAt)',
                ExpressionAttributeValues: { ':at': conversion.at, ':by': conversion.purchaseId },
              },
            },
            ...counterUpdates(name, deltas),
          ],
        }),
      );
      return 'converted';
    } catch (error) {
      // The exposure (item 0) is missing or converted already.
      if (failedConditions(error)?.includes(0)) return 'already';
      throw error;
    }
  },
});
