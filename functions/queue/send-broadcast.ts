import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { awsDependencies } from '../../shared/composition/aws.ts';
import { awsEmail, awsSigner, awsSms } from '../../shared/composition/aws-capabilities.ts';
import { createEventHandler } from '../../shared/events/handler.ts';
import type { CrmDependencies } from '../../shared/ports/dependencies.ts';
import type { BroadcastRecipient } from '../../shared/ports/send-queue.ts';
import { sendBroadcastMessage } from '../../shared/use-cases/broadcasts.ts';

/** One recipient per SQS message; a failed send is reported alone so only it is redelivered. */
export const sendBroadcastHandler = (makeDeps: () => CrmDependencies) =>
  createEventHandler(makeDeps, async (deps, event: SQSEvent): Promise<SQSBatchResponse> => {
    const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
    for (const record of event.Records) {
      try {
        await sendBroadcastMessage(deps, JSON.parse(record.body) as BroadcastRecipient);
      } catch {
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures };
  });

export const handler = sendBroadcastHandler(
  awsDependencies({ email: awsEmail, sms: awsSms, signer: awsSigner }),
);
