import { logger, metrics } from '../observability.ts';
import type { CrmDependencies } from '../ports/dependencies.ts';
import type { BroadcastRecipient } from '../ports/send-queue.ts';
import { broadcastMessageId } from './broadcasts.ts';
import type { TouchpointFiring } from './touchpoints.ts';

/**
 * What lands on the abandoned-deliveries queue: a Lambda on-failure record of `deliver-touchpoint`
 * (its last retry failed), or a broadcast recipient the send queue gave up on (its redrive).
 */
export type AbandonedDelivery =
  | {
      requestContext?: { functionArn?: string; condition?: string };
      requestPayload: Partial<TouchpointFiring>;
      responsePayload?: { errorMessage?: string } | null;
    }
  | Partial<BroadcastRecipient>;

/** The ledger key and the reason a message is given up with; undefined for anything else. */
export const abandonedMessage = (
  record: AbandonedDelivery,
): { messageId: string; reason: string } | undefined => {
  if ('requestPayload' in record) {
    const touchpointId = record.requestPayload?.touchpointId;
    if (typeof touchpointId !== 'string') return undefined;
    const error = record.responsePayload?.errorMessage ?? record.requestContext?.condition ?? 'unknown error';
    return { messageId: touchpointId, reason: `delivery failed after retries: ${error}`.slice(0, 500) };
  }
  const { campaignId, occurrence, customerId } = record;
  if (typeof campaignId !== 'string' || typeof occurrence !== 'string' || typeof customerId !== 'string') {
    return undefined;
  }
  return {
    messageId: broadcastMessageId({ campaignId, occurrence, customerId }),
    reason: 'delivery failed after retries: the send queue gave up on it',
  };
};

/**
 * Ends, as `failed`, each message whose delivery the platform gave up on, so none stays `deferred`
 * past its time. Safe to repeat: a message already final (or never decided) is left alone. A
 * message still leased by a live delivery throws, so the queue redelivers it after that lease.
 */
export const closeAbandonedDelivery = async (
  deps: Pick<CrmDependencies, 'messages' | 'clock'>,
  record: AbandonedDelivery,
): Promise<'closed' | 'final' | 'absent' | 'ignored'> => {
  const abandoned = abandonedMessage(record);
  if (!abandoned) {
    logger.error('an abandoned delivery names no message; it stays for an operator', { record });
    return 'ignored';
  }
  const outcome = await deps.messages.abandon(abandoned.messageId, abandoned.reason, deps.clock.now());
  if (outcome === 'busy') throw new Error(`message ${abandoned.messageId} is being delivered right now`);
  // The alarm on this metric tells on-call that deliveries are being given up on.
  metrics.addMetric('abandonedDeliveries', 'Count', 1);
  logger.error('a delivery was given up on after its retries', { ...abandoned, outcome });
  return outcome;
};
