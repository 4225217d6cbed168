import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { awsDependencies } from '../../shared/composition/aws.ts';
import { awsQueue, awsSegments } from '../../shared/composition/aws-capabilities.ts';
import { functionConfig } from '../../shared/config.ts';
import { createEventHandler } from '../../shared/events/handler.ts';
import type { CrmDependencies } from '../../shared/ports/dependencies.ts';
import type { BroadcastSegment, SegmentQueue, SendQueue } from '../../shared/ports/send-queue.ts';
import { pageBroadcastSegment } from '../../shared/use-cases/broadcasts.ts';

type Deps = CrmDependencies & { queue: SendQueue; segments: SegmentQueue };

/**
 * The segment queue's consumer (batch size 1): reads one segment of a broadcast's audience until its
 * time runs low, then queues a continuation. A failure is redelivered after the visibility timeout.
 */
export const pageBroadcastHandler = (makeDeps: () => Deps, pageSize?: number) =>
  createEventHandler(makeDeps, async (deps, event: SQSEvent, remainingMs): Promise<SQSBatchResponse> => {
    const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
    for (const record of event.Records) {
      try {
        await pageBroadcastSegment(deps, JSON.parse(record.body) as BroadcastSegment, remainingMs, pageSize);
      } catch {
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures };
  });

export const handler = pageBroadcastHandler(() => {
  const config = functionConfig(['queue', 'segments']);
  return { ...awsDependencies()(), queue: awsQueue(config), segments: awsSegments(config) };
});
