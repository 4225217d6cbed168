import { matchesPattern } from '../domain/event-pattern.ts';
import { logger } from '../observability.ts';
import type { CrmDependencies } from '../ports/dependencies.ts';
import type { BroadcastRecipient, BroadcastSegment, SegmentQueue, SendQueue } from '../ports/send-queue.ts';
import { SEND_TIME_BUDGET_MS } from '../runtime/function-timeouts.ts';
import { type DeliveryDeps, type DeliveryOutcome, deliverMessage } from './deliver-message.ts';

const PAGE_SIZE = 100;

type BroadcastDeps = Pick<CrmDependencies, 'campaigns' | 'customers'>;
type Firing = { campaignId: string; occurrence: string };

const activeBroadcast = async (deps: BroadcastDeps, firing: Firing) => {
  const campaign = await deps.campaigns.get(firing.campaignId);
  if (campaign?.status !== 'active' || campaign.kind !== 'broadcast') {
    logger.info('broadcast skipped', { ...firing, status: campaign?.status ?? 'deleted' });
    return undefined;
  }
  return campaign;
};

/**
 * A broadcast occurrence fired: it hands one task per segment of the audience index to the segment
 * queue, where they are read in parallel. Cheap, so it never runs out of time; firing it twice is
 * harmless (each recipient's ledger entry is keyed by campaign, occurrence and customer).
 */
export const runBroadcast = async (
  deps: BroadcastDeps & { segments: SegmentQueue },
  firing: Firing,
): Promise<{ segments: number }> => {
  if (!(await activeBroadcast(deps, firing))) return { segments: 0 };
  const segments = Array.from({ length: deps.customers.audienceSegments }, (_, segment) => ({
    campaignId: firing.campaignId,
    occurrence: firing.occurrence,
    segment,
  }));
  await deps.segments.enqueue(segments);
  return { segments: segments.length };
};

/**
 * Reads one segment of the audience a page at a time, handing each page's audience members to the
 * send queue, until the segment ends or the invocation's time runs low; then it hands the rest on
 * as a continuation (segment, cursor). A page read twice after a crash is harmless (the ledger).
 */
export const pageBroadcastSegment = async (
  deps: BroadcastDeps & { queue: SendQueue; segments: SegmentQueue },
  task: BroadcastSegment,
  remainingMs: () => number = () => Number.POSITIVE_INFINITY,
  pageSize = PAGE_SIZE,
): Promise<{ queued: number; pages: number; continued: boolean }> => {
  const campaign = await activeBroadcast(deps, task);
  if (!campaign) return { queued: 0, pages: 0, continued: false };
  let cursor = task.cursor;
  let queued = 0;
  let pages = 0;
  do {
    if (pages > 0 && remainingMs() < SEND_TIME_BUDGET_MS) {
      await deps.segments.enqueue([{ ...task, cursor }]);
      logger.info('broadcast segment continues', { ...task, pages, queued });
      return { queued, pages, continued: true };
    }
    const page = await deps.customers.pageSegment(task.segment, { limit: pageSize, cursor });
    const recipients: BroadcastRecipient[] = page.items
      .filter(
        (customer) =>
          !campaign.audience ||
          matchesPattern(campaign.audience as Parameters<typeof matchesPattern>[0], customer),
      )
      .map((customer) => ({
        campaignId: task.campaignId,
        occurrence: task.occurrence,
        customerId: customer.id,
      }));
    if (recipients.length > 0) await deps.queue.enqueue(recipients);
    queued += recipients.length;
    pages++;
    cursor = page.nextCursor;
  } while (cursor);
  logger.info('broadcast segment done', { ...task, pages, queued });
  return { queued, pages, continued: false };
};

/**
 * One recipient of a broadcast, from the send queue. A deferred recipient goes back on the same
 * queue when its time comes (a one-time schedule whose target is the queue).
 */
/** A broadcast recipient's ledger key: one message per campaign, occurrence and customer. */
export const broadcastMessageId = (recipient: BroadcastRecipient): string =>
  `${recipient.campaignId}#${recipient.occurrence}#${recipient.customerId}`;

export const sendBroadcastMessage = (
  deps: DeliveryDeps,
  recipient: BroadcastRecipient,
  remainingMs?: () => number,
): Promise<DeliveryOutcome> =>
  deliverMessage(deps, {
    messageId: broadcastMessageId(recipient),
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
