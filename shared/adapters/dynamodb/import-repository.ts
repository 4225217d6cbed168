import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ImportRepository, StoredImportJob } from '../../ports/imports.ts';
import { keys } from './keys.ts';
import { type Table, toEntity } from './table.ts';

const lostRace = (error: unknown) => (error as Error).name === 'ConditionalCheckFailedException';

/** Import jobs: one item each, moved on by conditional updates so a chunk that runs twice counts once. */
export const dynamoImportRepository = ({ client, name }: Table): ImportRepository => ({
  async create(job) {
    await client.send(
      new PutCommand({
        TableName: name,
        Item: { ...keys.importJob(job.id), ...job },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  },

  async get(id) {
    const { Item } = await client.send(new GetCommand({ TableName: name, Key: keys.importJob(id) }));
    return Item ? toEntity<StoredImportJob>(Item) : undefined;
  },

  async start(id, start) {
    try {
      await client.send(
        new UpdateCommand({
          TableName: name,
          Key: keys.importJob(id),
          ConditionExpression: '#status = :awaiting',
          UpdateExpression:
            'SET #status = :running, #columns = :columns, #total = :total, #checkpoint = :checkpoint, #repeats = :repeats, updatedAt = :at',
          ExpressionAttributeNames: {
            '#status': 'status',
            '#columns': 'columns',
            '#repeats': 'repeats',
            '#total': 'total',
            '#checkpoint': 'checkpoint',
          },
          ExpressionAttributeValues: {
            ':awaiting': 'awaiting-upload',
            ':running': 'running',
            ':columns': start.columns,
            ':total': start.total,
            ':checkpoint': start.checkpoint,
            ':repeats': start.repeats,
            ':at': start.at,
          },
        }),
      );
      return true;
    } catch (error) {
      if (lostRace(error)) return false;
      throw error;
    }
  },

  async advance(id, from, to, counts, errors, at) {
    try {
      await client.send(
        new UpdateCommand({
          TableName: name,
          Key: keys.importJob(id),
          ConditionExpression: '#status = :running AND #checkpoint.#offset = :from',
          UpdateExpression: `SET #errors = list_append(#errors, :errors), updatedAt = :at, ${
            to ? '#checkpoint = :to' : '#status = :done'
          } ADD #processed :processed, #created :created, #updated :updated, #unchanged :unchanged, #failed :failed${
            to ? '' : ' REMOVE #checkpoint'
          }`,
          ExpressionAttributeNames: {
            '#status': 'status',
            '#checkpoint': 'checkpoint',
            '#offset': 'offset',
            '#errors': 'errors',
            '#processed': 'processed',
            '#created': 'created',
            '#updated': 'updated',
            '#unchanged': 'unchanged',
            '#failed': 'failed',
          },
          ExpressionAttributeValues: {
            ':running': 'running',
            ':from': from.offset,
            ':errors': errors,
            ':at': at,
            ':processed': counts.processed,
            ':created': counts.created,
            ':updated': counts.updated,
            ':unchanged': counts.unchanged,
            ':failed': counts.failed,
            ...(to ? { ':to': to } : { ':done': 'done' }),
          },
        }),
      );
      return true;
    } catch (error) {
      if (lostRace(error)) return false;
      throw error;
    }
  },

  async fail(id, error, at) {
    await client.send(
      new UpdateCommand({
        TableName: name,
        Key: keys.importJob(id),
        UpdateExpression: 'SET #status = :failed, #errors = list_append(#errors, :error), updatedAt = :at',
        ExpressionAttributeNames: { '#status': 'status', '#errors': 'errors' },
        ExpressionAttributeValues: { ':failed': 'failed', ':error': [error], ':at': at },
      }),
    );
  },
});
