import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { TimelineEntry, TimelineNote, TimelineRepository } from '../../ports/repositories.ts';
import { queryPage } from './cursor.ts';
import { keys } from './keys.ts';
import { type Table, toEntity } from './table.ts';

/** An entry that exists only on the timeline; the same id twice is one entry. */
export const timelineNoteItem = ({ customerId, type, at, id, data }: TimelineNote) => ({
  pk: `NOTE#${id}`,
  sk: 'NOTE',
  ...keys.timeline(customerId, at, id),
  entityType: type,
  id,
  customerId,
  ...data,
});

/** Every timeline entity is indexed on gsi3 by customer and time, so the newest-first list is one Query. */
export const dynamoTimelineRepository = ({ client, name }: Table): TimelineRepository => ({
  async note(customerId, type, at, id, data) {
    await client.send(
      new PutCommand({ TableName: name, Item: timelineNoteItem({ customerId, type, at, id, data }) }),
    );
  },

  list: (customerId, page) =>
    queryPage(
      client,
      {
        TableName: name,
        IndexName: 'gsi3',
        KeyConditionExpression: 'gsi3pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.timelinePartition(customerId) },
        ScanIndexForward: false,
      },
      page,
      (item) => ({
        type: item.entityType as TimelineEntry['type'],
        at: String(item.gsi3sk).split('#')[0] ?? '',
        id: String(item.id),
        data: toEntity<Record<string, unknown>>(item),
      }),
    ),
});
