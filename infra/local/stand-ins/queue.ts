import { randomUUID } from 'node:crypto';
import type { SendMessageBatchCommand, SendMessageBatchCommandOutput, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { sqsQueue } from '../../../shared/adapters/aws/sqs-queue.ts';
import type { Clock } from '../../../shared/ports/clock.ts';
import type { TimedFunction } from '../../../shared/runtime/function-timeouts.ts';
import type { LambdaFunction, LocalLambda } from './lambda.ts';

/** SQS limits: 10 entries a batch, 256 KiB a message and a batch (the queue's default maximum). */
export const SQS_MAX_BATCH_ENTRIES = 10;
export const SQS_MAX_BYTES = 256 * 1024;

/** The queue's and its event source mapping's settings, as the CDK stack declares them. */
export interface QueueSettings {
  name: string;
  /** The consuming function. */
  target: TimedFunction;
  batchSize: number;
  maxConcurrency: number;
  maxReceives: number;
  visibilitySeconds: number;
}

interface QueuedMessage {
  id: string;
  body: string;
  receives: number;
  visibleAt: number;
}

const sqsError = (name: string, message: string) => Object.assign(new Error(message), { name });

/**
 * An SQS queue on one machine, at the level of the SQS API (the real adapter calls it), and its
 * event source mapping: batches to a bounded number of concurrent consumers, each run under the
 * function's timeout; a failed message becomes visible again after the visibility timeout on the
 * virtual clock, and after `maxReceives` receives it goes to the dead letters.
 */
export const localQueue = <T>(
  clock: Clock,
  lambda: LocalLambda,
  settings: QueueSettings,
  consume: () => LambdaFunction<SQSEvent>,
) => {
  const { batchSize: BATCH_SIZE, maxConcurrency: MAX_CONCURRENCY, maxReceives: MAX_RECEIVES } = settings;
  const VISIBILITY_TIMEOUT_MS = settings.visibilitySeconds * 1000;
  const messages: QueuedMessage[] = [];
  let running = 0;
  const idle = new Set<() => void>();

  const visible = () => messages.filter((m) => m.visibleAt <= clock.now().getTime());

  const pump = () => {
    while (running < MAX_CONCURRENCY) {
      const batch = visible().slice(0, BATCH_SIZE);
      if (batch.length === 0) break;
      for (const message of batch) {
        message.receives++;
        message.visibleAt = clock.now().getTime() + VISIBILITY_TIMEOUT_MS;
      }
      running++;
      const event = {
        Records: batch.map(
          (m) =>
            ({
              messageId: m.id,
              body: m.body,
              attributes: { ApproximateReceiveCount: String(m.receives) },
            }) as unknown as SQSEvent['Records'][number],
        ),
      } as SQSEvent;
      lambda
        .invoke(settings.target, consume(), event)
        .then(
          (response) =>
            new Set((response as SQSBatchResponse).batchItemFailures.map((f) => f.itemIdentifier)),
          () => new Set(batch.map((m) => m.id)),
        )
        .then((failed) => {
          for (const message of batch) {
            const index = messages.indexOf(message);
            if (!failed.has(message.id)) messages.splice(index, 1);
            else if (message.receives >= MAX_RECEIVES) {
              messages.splice(index, 1);
              lambda.deadLetter({
                source: 'sqs',
                target: settings.target,
                reason: `received ${message.receives} times without success`,
                payload: JSON.parse(message.body),
                at: clock.now().toISOString(),
              });
            }
          }
        })
        .finally(() => {
          running--;
          pump();
          if (running === 0 && visible().length === 0) for (const resolve of idle) resolve();
        });
    }
  };

  const sendMessageBatch = (command: SendMessageBatchCommand): SendMessageBatchCommandOutput => {
    const entries = command.input.Entries ?? [];
    if (entries.length > SQS_MAX_BATCH_ENTRIES)
      throw sqsError('TooManyEntriesInBatchRequest', 'too many entries');
    const total = entries.reduce((sum, e) => sum + Buffer.byteLength(e.MessageBody ?? '', 'utf8'), 0);
    if (total > SQS_MAX_BYTES) {
      throw sqsError('BatchRequestTooLong', `batch of ${total} bytes is over ${SQS_MAX_BYTES}`);
    }
    for (const entry of entries) {
      messages.push({
        id: randomUUID(),
        body: entry.MessageBody ?? '',
        receives: 0,
        visibleAt: clock.now().getTime() + (entry.DelaySeconds ?? 0) * 1000,
      });
    }
    pump();
    return {
      Successful: entries.map((e) => ({ Id: e.Id ?? '', MessageId: randomUUID(), MD5OfMessageBody: '' })),
      Failed: [],
      $metadata: {},
    };
  };
  const client = { send: async (command: SendMessageBatchCommand) => sendMessageBatch(command) };

  return {
    queue: sqsQueue<T>(client as unknown as SQSClient, `http://sqs.local/000000000000/${settings.name}`),
    /** A message Scheduler puts on the queue (for broadcast sends: a deferred recipient whose time has come). */
    put(body: string) {
      sendMessageBatch({ input: { QueueUrl: '', Entries: [{ Id: '0', MessageBody: body }] } } as never);
    },
    /** The earliest message that becomes visible again at or before `until` (a redelivery). */
    nextDue(until: Date): { at: Date; run: () => void } | undefined {
      const now = clock.now().getTime();
      const waiting = messages
        .filter((m) => m.visibleAt > now && m.visibleAt <= until.getTime())
        .sort((a, b) => a.visibleAt - b.visibleAt)[0];
      return waiting && { at: new Date(waiting.visibleAt), run: pump };
    },
    /** Resolves once no consumer runs and no visible message waits. */
    drain(): Promise<void> {
      pump();
      if (running === 0 && visible().length === 0) return Promise.resolve();
      return new Promise((resolve) => {
        const done = () => {
          idle.delete(done);
          resolve();
        };
        idle.add(done);
      });
    },
  };
};
