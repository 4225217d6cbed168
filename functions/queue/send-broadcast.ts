import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { awsDependencies } from '../../shared/composition/aws.ts';
import { awsEmail, awsSigner, awsSms } from '../../shared/composition/aws-capabilities.ts';
import { readConfig } from '../../shared/config.ts';
import { createEventHandler } from '../../shared/events/handler.ts';
import type { CrmDependencies } from '../../shared/ports/dependencies.ts';
import type { BroadcastRecipient } from '../../shared/ports/send-queue.ts';
import { sendBroadcastMessage } from '../../shared/use-cases/broadcasts.ts';

/**
 * One recipient per SQS message; a failed send is reported alone so only it is redelivered. Sends
 * are spaced to `ratePerSecond` per instance; the event source's maximum concurrency bounds the
 * instances, so the total rate is at most their product.
 */
export const sendBroadcastHandler = (
  makeDeps: () => CrmDependencies,
  ratePerSecond: () => number = () => Number.POSITIVE_INFINITY,
) =>
  createEventHandler(makeDeps, async (deps, event: SQSEvent, remainingMs): Promise<SQSBatchResponse> => {
    const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
    const spacing = 1000 / ratePerSecond();
    let last = 0;
    for (const record of event.Records) {
      const wait = last + spacing - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      last = performance.now();
      try {
        await sendBroadcastMessage(deps, JSON.parse(record.body) as BroadcastRecipient, remainingMs);
      } catch {
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures };
  });

export const handler = sendBroadcastHandler(
  awsDependencies({ email: awsEmail, sms: awsSms, signer: awsSigner }),
  () => readConfig().SEND_RATE_PER_SECOND,
);
