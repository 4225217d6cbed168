import { matchesPattern } from '../domain/event-pattern.ts';
import { logger } from '../observability.ts';
import type { CrmDependencies } from '../ports/dependencies.ts';
import type { BroadcastRecipient, SendQueue } from '../ports/send-queue.ts';
import { type DeliveryDeps, type DeliveryOutcome, deliverMessage } from './deliver-message.ts';

const PAGE_SIZE = 100;

/**
 * A broadcast occurrence fired: page through the customers on the type index and hand every
 * audience member to the send queue, a page at a time. Re-running an occurrence is harmless: each
 * recipient's ledger entry is keyed by campaign, occurrence and customer.
 */
export const runBroadcast = async (
  deps: Pick<CrmDependencies, 'campaigns' | 'customers'> & { queue: SendQueue },
  firing: { campaignId: string; occurrence: string },
): Promise<{ queued: number; pages: number }> => {
  const campaign = await deps.campaigns.get(firing.campaignId);
  if (campaign?.status !== 'active' || campaign.kind !== 'broadcast') {
    logger.info('broadcast skipped', { ...firing, status: campaign?.status ?? 'deleted' });
    return { queued: 0, pages: 0 };
  }
  let cursor: string | undefined;
  let queued = 0;
  let pages = 0;
  do {
    const page = await deps.customers.list({}, { limit: PAGE_SIZE, cursor });
    const audience = page.items.filter(
      (customer) =>
        !campaign.audience ||
        matchesPattern(campaign.audience as Parameters<typeof matchesPattern>[0], customer),
    );
    const recipients: BroadcastRecipient[] = audience.map((customer) => ({
      ...firing,
      customerId: customer.id,
    }));
    if (recipients.length > 0) await deps.queue.enqueue(recipients);
    queued += recipients.length;
    pages++;
    cursor = page.nextCursor;
    logger.info('broadcast progress', { ...firing, pages, queued });
  } while (cursor);
  return { queued, pages };
};

/**
 * One recipient of a broadcast, from the send queue. A deferred recipient goes back on the same
 * queue when its time comes (a one-time schedule whose target is the queue).
 */
export const sendBroadcastMessage = (
  deps: DeliveryDeps,
  recipient: BroadcastRecipient,
  remainingMs?: () => number,
): Promise<DeliveryOutcome> =>
  deliverMessage(deps, {
    messageId: `${recipient.campaignId}#${recipient.occurrence}#${recipient.customerId}`,
    campaignId: recipient.campaignId,
    customerId: recipient.customerId,
    extra: { occurrence: recipient.occurrence },
    refire: {
      target: 'broadcast-queue',
      payload: {
        campaignId: recipient.campaignId,
        occurrence: recipient.occurrence,
        customerId: recipient.customerId,
      },
    },
    remainingMs,
  });
