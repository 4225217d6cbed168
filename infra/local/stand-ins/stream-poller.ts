import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  type _Record,
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { type EventPattern, matchesPattern } from '../../../shared/domain/event-pattern.ts';
import { logger } from '../../../shared/observability.ts';
import { localClientConfig } from '../dynamodb.ts';

export type StreamHandler = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse>;

/** Like the event source mapping's bounded retries, then the record is dropped (in AWS: to the DLQ). */
const MAX_ATTEMPTS = 3;

type Image = Record<string, unknown>;

/**
 * The DynamoDB Streams client on the registry (3.1141) reads an empty map attribute as `{}` instead
 * of `{ M: {} }`; an attribute value with no member can only be that, so it is put back.
 */
const repairEmptyMaps = (image: Image | undefined): Image | undefined => {
  if (!image) return image;
  const repair = (value: unknown): unknown => {
    if (!value || typeof value !== 'object') return value;
    const attribute = value as Record<string, unknown>;
    if (Object.keys(attribute).length === 0) return { M: {} };
    if (attribute.M) return { M: repairEmptyMaps(attribute.M as Image) };
    if (Array.isArray(attribute.L)) return { L: attribute.L.map(repair) };
    return attribute;
  };
  return Object.fromEntries(Object.entries(image).map(([key, value]) => [key, repair(value)]));
};

const toLambdaRecord = (record: _Record, streamArn: string): DynamoDBRecord => ({
  eventID: record.eventID,
  eventName: record.eventName as DynamoDBRecord['eventName'],
  eventVersion: record.eventVersion,
  eventSource: 'aws:dynamodb',
  awsRegion: record.awsRegion,
  eventSourceARN: streamArn,
  dynamodb: {
    ...(record.dynamodb as DynamoDBRecord['dynamodb']),
    NewImage: repairEmptyMaps(record.dynamodb?.NewImage as Image) as never,
    OldImage: repairEmptyMaps(record.dynamodb?.OldImage as Image) as never,
    ApproximateCreationDateTime: record.dynamodb?.ApproximateCreationDateTime
      ? Math.floor(record.dynamodb.ApproximateCreationDateTime.getTime() / 1000)
      : undefined,
  },
});

/**
 * Reads the table's real stream in DynamoDB Local and hands each batch to the same handler Lambda
 * runs, honouring ReportBatchItemFailures by retrying from the first failed record.
 */
export const streamPoller = async (options: {
  endpoint: string;
  tableName: string;
  handler: StreamHandler;
  fromStart: boolean;
  /** Records given up on after the retries; in AWS they go to the event source's on-failure destination. */
  onDrop?: (records: DynamoDBRecord[], reason: string) => void;
  /** The event source mapping's filter criteria: a record matching none is dropped, as Lambda drops it. */
  filters?: readonly EventPattern[];
}) => {
  const passes = (record: DynamoDBRecord) =>
    !options.filters || options.filters.some((pattern) => matchesPattern(pattern, record));
  const config = localClientConfig(options.endpoint);
  const dynamo = new DynamoDBClient(config);
  const streams = new DynamoDBStreamsClient(config);
  const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: options.tableName }));
  dynamo.destroy();
  const streamArn = Table?.LatestStreamArn;
  if (!streamArn) throw new Error(`Table ${options.tableName} has no stream`);

  const iterators = new Map<string, string>();
  const finished = new Set<string>();
  let first = true;

  const discoverShards = async () => {
    const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    for (const shard of StreamDescription?.Shards ?? []) {
      const id = shard.ShardId as string;
      if (iterators.has(id) || finished.has(id)) continue;
      // Shards that exist at start-up were read by an earlier run unless we start from scratch.
      const type = first && !options.fromStart ? 'LATEST' : 'TRIM_HORIZON';
      const { ShardIterator } = await streams.send(
        new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: id, ShardIteratorType: type }),
      );
      if (ShardIterator) iterators.set(id, ShardIterator);
    }
    first = false;
  };

  const deliver = async (records: DynamoDBRecord[]) => {
    let remaining = records;
    for (let attempt = 1; remaining.length > 0; attempt++) {
      // A thrown error fails the whole batch, as it would in Lambda.
      let reason = 'reported as a batch item failure';
      const failedAt = await options.handler({ Records: remaining }).then(
        ({ batchItemFailures }) => batchItemFailures[0]?.itemIdentifier,
        (error: unknown) => {
          logger.error('stream handler failed', { error: error as Error });
          reason = (error as Error).message;
          return remaining[0]?.dynamodb?.SequenceNumber ?? '';
        },
      );
      if (!failedAt) return;
      if (attempt >= MAX_ATTEMPTS) {
        logger.error('stream records dropped after retries', { from: failedAt, count: remaining.length });
        const from = remaining.findIndex((record) => record.dynamodb?.SequenceNumber === failedAt);
        options.onDrop?.(remaining.slice(Math.max(0, from)), reason);
        return;
      }
      remaining = remaining.slice(
        remaining.findIndex((record) => record.dynamodb?.SequenceNumber === failedAt),
      );
    }
  };

  let lock: Promise<unknown> = Promise.resolve();
  /** Reads every shard once and delivers what it finds; returns how many records it delivered. */
  const pollOnce = (): Promise<number> => {
    const run = lock.then(async () => {
      await discoverShards();
      let delivered = 0;
      for (const [shardId, iterator] of [...iterators]) {
        const { Records = [], NextShardIterator } = await streams.send(
          new GetRecordsCommand({ ShardIterator: iterator }),
        );
        if (NextShardIterator) iterators.set(shardId, NextShardIterator);
        else {
          iterators.delete(shardId);
          finished.add(shardId);
        }
        const passed = Records.map((record) => toLambdaRecord(record, streamArn)).filter(passes);
        if (passed.length > 0) await deliver(passed);
        // Counted whether filtered or not: settling waits until the stream itself is quiet.
        delivered += Records.length;
      }
      return delivered;
    });
    lock = run.catch(() => undefined);
    return run;
  };

  await discoverShards();
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      try {
        if ((await pollOnce()) === 0) await new Promise((resolve) => setTimeout(resolve, 250));
      } catch (error) {
        if (!stopped) logger.error('stream poll failed', { error: error as Error });
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  })();

  return {
    pollOnce,
    async stop() {
      stopped = true;
      await loop;
      streams.destroy();
    },
  };
};
