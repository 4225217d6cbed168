import { randomUUID } from 'node:crypto';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { BroadcastRecipient, SendQueue } from '../../../shared/ports/send-queue.ts';

/** Like the SQS event source: batches of 10, a bounded number of consumers, failed items redelivered. */
const BATCH_SIZE = 10;
const MAX_CONCURRENCY = 2;
const MAX_RECEIVES = 3;

export const localSendQueue = (consume: () => (event: SQSEvent) => Promise<SQSBatchResponse>) => {
  const waiting: { id: string; body: string; receives: number }[] = [];
  const deadLetters: string[] = [];
  let running = 0;
  let idle: Promise<void> = Promise.resolve();
  let resolveIdle: (() => void) | undefined;

  const pump = () => {
    while (running < MAX_CONCURRENCY && waiting.length > 0) {
      const batch = waiting.splice(0, BATCH_SIZE);
      running++;
      const event = {
        Records: batch.map((m) => ({ messageId: m.id, body: m.body }) as SQSEvent['Records'][number]),
      } as SQSEvent;
      consume()(event)
        .then(
          ({ batchItemFailures }) => new Set(batchItemFailures.map((f) => f.itemIdentifier)),
          () => new Set(batch.map((m) => m.id)),
        )
        .then((failed) => {
          for (const message of batch) {
            if (!failed.has(message.id)) continue;
            if (++message.receives >= MAX_RECEIVES) deadLetters.push(message.body);
            else waiting.push(message);
          }
        })
        .finally(() => {
          running--;
          pump();
          if (running === 0 && waiting.length === 0) resolveIdle?.();
        });
    }
  };

  const queue: SendQueue = {
    async enqueue(recipients: BroadcastRecipient[]) {
      if (running === 0 && waiting.length === 0) idle = new Promise((resolve) => (resolveIdle = resolve));
      for (const recipient of recipients)
        waiting.push({ id: randomUUID(), body: JSON.stringify(recipient), receives: 0 });
      pump();
    },
  };
  return { queue, deadLetters, drain: () => idle };
};
