import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Queue } from '../../ports/send-queue.ts';

const BATCH_LIMIT = 10;

/** Any queue of JSON messages; a message SQS did not take is retried, and a duplicate is harmless (ledger). */
export const sqsQueue = <T>(client: SQSClient, queueUrl: string): Queue<T> => ({
  async enqueue(items) {
    for (let start = 0; start < items.length; start += BATCH_LIMIT) {
      let entries = items.slice(start, start + BATCH_LIMIT).map((item, i) => ({
        Id: String(i),
        MessageBody: JSON.stringify(item),
      }));
      // Retry only the entries SQS did not take; a recipient queued twice is still sent once (ledger).
      for (let attempt = 1; entries.length > 0; attempt++) {
        const { Failed = [] } = await client.send(
          new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }),
        );
        if (Failed.length === 0) break;
        if (attempt >= 3) throw new Error(`SQS refused ${Failed.length} messages: ${Failed[0]?.Message}`);
        const failedIds = new Set(Failed.map((f) => f.Id));
        entries = entries.filter((entry) => failedIds.has(entry.Id));
      }
    }
  },
});
