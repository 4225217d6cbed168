import type { Campaign } from '../domain/campaign.ts';
import type { Purchase } from '../domain/purchase.ts';
import { planTouchpoints, type Touchpoint } from '../domain/touchpoint.ts';
import { localMinute } from '../domain/zoned-time.ts';
import type { BusEvent } from '../events/domain-event.ts';
import { logger } from '../observability.ts';
import type { CrmDependencies } from '../ports/dependencies.ts';
import { SEND_TIME_BUDGET_MS } from '../runtime/function-timeouts.ts';
import { cancelCustomerTasks, eraseCustomerLeads } from './customer-leads.ts';
import { type DeliveryDeps, type DeliveryOutcome, deliverMessage } from './deliver-message.ts';
import type { LeadDeps } from './leads.ts';

type PlanDeps = Pick<CrmDependencies, 'campaigns' | 'customers' | 'touchpoints' | 'scheduler' | 'clock'>;

export const scheduleOf = (touchpoint: Touchpoint) => ({
  name: touchpoint.id,
  at: localMinute(new Date(touchpoint.fireAt), touchpoint.timezone),
  timezone: touchpoint.timezone,
  target: 'deliver-touchpoint' as const,
  payload: { touchpointId: touchpoint.id, customerId: touchpoint.customerId },
});

/**
 * On purchase.recorded: one schedule per touchpoint of every active lifecycle campaign. The
 * schedule is created before the touchpoint is recorded, and both are idempotent by name, so a
 * retry after a crash in between still ends with exactly one schedule and one record.
 */
export const planPurchaseTouchpoints = async (deps: PlanDeps, event: BusEvent): Promise<Touchpoint[]> => {
  const purchase = event.detail.entity as unknown as Purchase;
  const [customer, campaigns] = await Promise.all([
    deps.customers.get(purchase.customerId),
    deps.campaigns.activeLifecycle(),
  ]);
  if (!customer) return [];
  const now = deps.clock.now();
  const planned = campaigns.flatMap((campaign) => planTouchpoints(campaign, purchase, customer, now));
  for (const touchpoint of planned) {
    await deps.scheduler.createOnce(scheduleOf(touchpoint));
    await deps.touchpoints.add(touchpoint);
  }
  return planned;
};

/**
 * On campaign.updated (trigger, sendAt or sendWindow changed) or campaign.deleted: every still
 * scheduled touchpoint of the campaign is moved to its new time (its schedule replaced in place),
 * or cancelled with its schedule when the campaign is gone or the purchase no longer matches. A new
 * time already past fires a minute from now; delivery then defers it into the window. It pages
 * shard by shard and stops when its time runs low, returning where to go on.
 */
export const replanCampaign = async (
  deps: PlanDeps & Pick<CrmDependencies, 'purchases'>,
  campaignId: string,
  from: { shard: number; cursor?: string | undefined } = { shard: 0 },
  remainingMs: () => number = () => Number.POSITIVE_INFINITY,
): Promise<{ moved: number; cancelled: number; next?: { shard: number; cursor?: string | undefined } }> => {
  const campaign: Campaign | undefined = await deps.campaigns.get(campaignId);
  let moved = 0;
  let cancelled = 0;
  for (let { shard, cursor } = from; shard < deps.touchpoints.shards; ) {
    if (remainingMs() < SEND_TIME_BUDGET_MS) return { moved, cancelled, next: { shard, cursor } };
    const page = await deps.touchpoints.ofCampaign(campaignId, shard, { limit: 25, cursor });
    for (const touchpoint of page.items) {
      const [customer, purchase] = await Promise.all([
        deps.customers.get(touchpoint.customerId),
        deps.purchases.get(touchpoint.customerId, touchpoint.purchaseId),
      ]);
      const now = deps.clock.now();
      // Planned as if the purchase were made now, but with the new rules; a past time means "as soon as allowed".
      const replanned =
        campaign && customer && purchase
          ? planTouchpoints({ ...campaign, status: 'active' }, purchase, customer, new Date(0)).find(
              (t) => t.id === touchpoint.id,
            )
          : undefined;
      if (!replanned) {
        await deps.scheduler.delete(touchpoint.id);
        await deps.touchpoints.setStatus(touchpoint, 'cancelled');
        cancelled++;
        continue;
      }
      const fireAt = new Date(Math.max(Date.parse(replanned.fireAt), now.getTime() + 60_000)).toISOString();
      if (fireAt === touchpoint.fireAt) continue;
      await deps.scheduler.replaceOnce(scheduleOf({ ...touchpoint, fireAt }));
      await deps.touchpoints.reschedule(touchpoint, fireAt);
      moved++;
    }
    cursor = page.nextCursor;
    if (!cursor) shard++;
  }
  logger.info('campaign re-planned', { campaignId, moved, cancelled });
  return { moved, cancelled };
};

/**
 * On customer.deleted: their pending schedules are deleted and touchpoints cancelled, their leads
 * closed and erased, and the personal data left in their messages, replies, tasks and lead
 * activities is erased. Safe to run twice.
 */
export const forgetCustomer = async (
  deps: Pick<CrmDependencies, 'touchpoints' | 'scheduler' | 'eraser'> & LeadDeps,
  event: BusEvent,
): Promise<{ cancelled: number; erased: number }> => {
  const customerId = String(event.detail.entity.id);
  const pending = await deps.touchpoints.pending(customerId);
  for (const touchpoint of pending) {
    await deps.scheduler.delete(touchpoint.id);
    await deps.touchpoints.setStatus(touchpoint, 'cancelled');
  }
  // Leads first (closing one cancels its tasks), then the customer's other open tasks; the eraser then blanks their titles.
  const leads = await eraseCustomerLeads(deps, customerId);
  const tasks = await cancelCustomerTasks(deps, customerId);
  const phone = event.detail.entity.phone;
  const phones = typeof phone === 'string' ? [phone] : [];
  return { cancelled: pending.length, erased: leads + tasks + (await deps.eraser.erase(customerId, phones)) };
};

export interface TouchpointFiring {
  touchpointId: string;
  customerId: string;
}

/** The Scheduler target (also of deferrals): re-checks everything, then sends at most once. */
export const deliverTouchpoint = async (
  deps: DeliveryDeps & Pick<CrmDependencies, 'touchpoints' | 'products' | 'purchases'>,
  firing: TouchpointFiring,
  remainingMs?: () => number,
): Promise<DeliveryOutcome> => {
  const touchpoint = await deps.touchpoints.get(firing.customerId, firing.touchpointId);
  if (!touchpoint) {
    logger.warn('schedule fired for an unknown touchpoint', { ...firing });
    return { status: 'suppressed', reason: 'customer-deleted' };
  }
  if (touchpoint.status === 'cancelled') return { duplicate: true };
  // The outcome is the ledger entry's (same id); the touchpoint itself is not written again.
  return deliverMessage(deps, {
    messageId: touchpoint.id,
    campaignId: touchpoint.campaignId,
    customerId: touchpoint.customerId,
    loadContext: async () => {
      const [product, purchase] = await Promise.all([
        deps.products.get(touchpoint.sku),
        deps.purchases.get(touchpoint.customerId, touchpoint.purchaseId),
      ]);
      return { product, purchase };
    },
    extra: {
      touchpointId: touchpoint.id,
      purchaseId: touchpoint.purchaseId,
      sku: touchpoint.sku,
      ...(touchpoint.skus ? { skus: touchpoint.skus } : {}),
    },
    refire: { target: 'deliver-touchpoint', payload: { ...firing } },
    remainingMs,
  });
};
