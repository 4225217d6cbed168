import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Activity, Lead } from '../../domain/lead.ts';
import type { LeadRepository } from '../../ports/lead-repository.ts';
import { queryAll, queryPage } from './cursor.ts';
import { entityItem, entityStore } from './entity-store.ts';
import { keys } from './keys.ts';
import { orderIndexes } from './order-repository.ts';
import { type Table, toEntity } from './table.ts';
import { taskIndexes } from './task-repository.ts';

/** Where a lead is listed: under its owner, its pool, or the queue waiting for a manager. */
export const leadHolder = (lead: Pick<Lead, 'ownerId' | 'pool' | 'queue'>): string =>
  lead.ownerId
    ? `owner:${lead.ownerId}`
    : lead.pool
      ? `pool:${lead.pool}`
      : `queue:${lead.queue ?? 'manager'}`;

const leadIndexes = (lead: Lead) => ({
  ...keys.leadsOfHolder(leadHolder(lead), lead.createdAt, lead.id),
  // Sparse: only open, owned leads can go stale, so the daily sweep queries just those.
  ...(lead.status === 'open' && lead.ownerId ? keys.staleWatch(lead.grade, lead.improvedAt, lead.id) : {}),
});

const activityItem = (activity: Activity) => ({
  ...keys.activity(activity.leadId, activity.at, activity.id),
  ...keys.timeline(activity.customerId, activity.at, activity.id),
  entityType: 'activity',
  ...activity,
});

/** A transaction was refused because one of its conditions failed (a lost race or a retried write). */
const isCancelled = (error: unknown) =>
  error instanceof Error &&
  (error.name === 'TransactionCanceledException' || error.name === 'ConditionalCheckFailedException');

export const dynamoLeadRepository = (table: Table): LeadRepository => {
  const { client, name } = table;
  const store = entityStore<Lead>(table, 'lead', leadIndexes);
  return {
    get: store.get,

    async commit({ previous, next, activities = [], tasks = [], order, cause }) {
      const versioned = (prior: { version: number } | undefined) =>
        prior
          ? { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': prior.version } }
          : { ConditionExpression: 'attribute_not_exists(pk)' };
      try {
        await client.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: name,
                  Item: entityItem('lead', next, leadIndexes, cause),
                  ...versioned(previous),
                },
              },
              // A new lead is linked to its customer, so the customer's owner change and erasure find it.
              ...(previous
                ? []
                : [
                    {
                      Put: {
                        TableName: name,
                        Item: { ...keys.leadOfCustomer(next.customerId, next.id), leadId: next.id },
                      },
                    },
                  ]),
              ...activities.map((a) => ({
                Put: {
                  TableName: name,
                  Item: activityItem(a),
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              })),
              ...tasks.map((t) => ({
                Put: {
                  TableName: name,
                  Item: entityItem('task', t.next, taskIndexes, cause),
                  ...versioned(t.previous),
                },
              })),
              ...(order
                ? [
                    {
                      Put: {
                        TableName: name,
                        Item: entityItem('order', order, orderIndexes, cause),
                        ConditionExpression: 'attribute_not_exists(pk)',
                      },
                    },
                  ]
                : []),
            ],
          }),
        );
        return true;
      } catch (error) {
        if (isCancelled(error)) return false;
        throw error;
      }
    },

    list: ({ holder, grade, status }, page) => {
      const filter = { ...(grade ? { grade } : {}), ...(status ? { status } : {}) };
      return holder
        ? store.query(
            { index: 'gsi1', partition: keys.leadsOfHolderPartition(holder), newestFirst: true, filter },
            page,
          )
        : store.query(
            { index: 'gsi2', partition: keys.typePartition('lead'), newestFirst: true, filter },
            page,
          );
    },

    activities: (leadId, page) =>
      queryPage(
        client,
        {
          TableName: name,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': keys.leadPartition(leadId), ':prefix': keys.activityPrefix },
          ScanIndexForward: false,
        },
        page,
        (item) => toEntity<Activity>(item),
      ),

    async idsOfCustomer(customerId) {
      const [links, timeline] = await Promise.all([
        queryAll(client, {
          TableName: name,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: {
            ':pk': keys.customerPartition(customerId),
            ':prefix': keys.leadOfCustomerPrefix,
          },
          ConsistentRead: true,
        }),
        // Leads recorded before links were written are found through their activities and tasks.
        queryAll(client, {
          TableName: name,
          IndexName: 'gsi3',
          KeyConditionExpression: 'gsi3pk = :pk',
          FilterExpression: 'attribute_exists(leadId)',
          ProjectionExpression: 'leadId',
          ExpressionAttributeValues: { ':pk': keys.timelinePartition(customerId) },
        }),
      ]);
      return [...new Set([...links, ...timeline].map((item) => String(item.leadId)))];
    },

    staleCandidates: (grade, before, page) =>
      queryPage(
        client,
        {
          TableName: name,
          IndexName: 'gsi3',
          KeyConditionExpression: 'gsi3pk = :pk AND gsi3sk < :before',
          ExpressionAttributeValues: { ':pk': keys.staleWatchPartition(grade), ':before': before },
        },
        page,
        (item) => toEntity<Lead>(item),
      ),
  };
};
