import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SendQueue } from '../../ports/send-queue.ts';

const BATCH_LIMIT = 10;

export const sqsSendQueue = (client: SQSClient, queueUrl: string): SendQueue => ({
  async enqueue(recipients) {
    for (let start = 0; start < recipients.length; start += BATCH_LIMIT) {
      let entries = recipients.slice(start, start + BATCH_LIMIT).map((recipient, i) => ({
        Id: String(i),
        MessageBody: JSON.stringify(recipient),
      }));
      // Retry only the entries SQS did not take; a recipient queued twice is still sent once (ledger).
      for (let attempt = 1; entries.length > 0; attempt++) {
        const { Failed = [] } = await client.send(
          new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }),
        );
        if (Failed.length === 0) break;
        if (attempt >= 3)
          throw new Error(`SQS refused ${Failed.length} broadcast recipients: ${Failed[0]?.Message}`);
        const failedIds = new Set(Failed.map((f) => f.Id));
        entries = entries.filter((entry) => failedIds.has(entry.Id));
      }
    }
  },
});
