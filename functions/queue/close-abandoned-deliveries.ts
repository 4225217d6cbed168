import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { awsDependencies } from '../../shared/composition/aws.ts';
import { createEventHandler } from '../../shared/events/handler.ts';
import type { CrmDependencies } from '../../shared/ports/dependencies.ts';
import {
  type AbandonedDelivery,
  closeAbandonedDelivery,
} from '../../shared/use-cases/close-abandoned-deliveries.ts';

/**
 * The abandoned-deliveries queue's consumer: `deliver-touchpoint`'s on-failure destination and the
 * broadcast send queue's redrive both land here, and each message they name ends `failed`.
 */
export const closeAbandonedDeliveriesHandler = (
  makeDeps: () => Pick<CrmDependencies, 'messages' | 'clock'>,
) =>
  createEventHandler(makeDeps, async (deps, event: SQSEvent): Promise<SQSBatchResponse> => {
    const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
    for (const record of event.Records) {
      try {
        await closeAbandonedDelivery(deps, JSON.parse(record.body) as AbandonedDelivery);
      } catch {
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures };
  });

export const handler = closeAbandonedDeliveriesHandler(awsDependencies({}));
