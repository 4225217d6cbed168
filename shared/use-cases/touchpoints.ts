import type { Customer } from '../domain/customer.ts';
import type { Purchase } from '../domain/purchase.ts';
import { planTouchpoints, type Touchpoint } from '../domain/touchpoint.ts';
import { localParts } from '../domain/zoned-time.ts';
import type { BusEvent } from '../events/domain-event.ts';
import { logger } from '../observability.ts';
import type { CrmDependencies } from '../ports/dependencies.ts';
import { type DeliveryDeps, type DeliveryOutcome, deliverMessage } from './deliver-message.ts';

type PlanDeps = Pick<CrmDependencies, 'campaigns' | 'customers' | 'touchpoints' | 'scheduler' | 'clock'>;

const atExpression = (touchpoint: Touchpoint) => {
  const p = localParts(new Date(touchpoint.fireAt), touchpoint.timezone);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:00`;
};

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
  const planned = campaigns.flatMap((campaign) =>
    planTouchpoints(campaign, purchase, customer as Customer, now),
  );
  for (const touchpoint of planned) {
    await deps.scheduler.createOnce({
      name: touchpoint.id,
      at: atExpression(touchpoint),
      timezone: touchpoint.timezone,
      target: 'deliver-touchpoint',
      payload: { touchpointId: touchpoint.id, customerId: touchpoint.customerId },
    });
    await deps.touchpoints.add(touchpoint);
  }
  return planned;
};

/**
 * On customer.deleted: their pending schedules are deleted and touchpoints cancelled, and the
 * personal data left in their messages, replies and tasks is erased. Safe to run twice.
 */
export const forgetCustomer = async (
  deps: Pick<CrmDependencies, 'touchpoints' | 'scheduler' | 'eraser'>,
  event: BusEvent,
): Promise<{ cancelled: number; erased: number }> => {
  const customerId = String(event.detail.entity.id);
  const pending = await deps.touchpoints.pending(customerId);
  for (const touchpoint of pending) {
    await deps.scheduler.delete(touchpoint.id);
    await deps.touchpoints.setStatus(touchpoint, 'cancelled');
  }
  const phone = event.detail.entity.phone;
  const phones = typeof phone === 'string' ? [phone] : [];
  return { cancelled: pending.length, erased: await deps.eraser.erase(customerId, phones) };
};

export interface TouchpointFiring {
  touchpointId: string;
  customerId: string;
}

/** The Scheduler target: re-checks everything, then sends at most once. */
export const deliverTouchpoint = async (
  deps: DeliveryDeps & Pick<CrmDependencies, 'touchpoints' | 'products' | 'purchases'>,
  firing: TouchpointFiring,
): Promise<DeliveryOutcome> => {
  const touchpoint = await deps.touchpoints.get(firing.customerId, firing.touchpointId);
  if (!touchpoint) {
    logger.warn('schedule fired for an unknown touchpoint', { ...firing });
    return { status: 'suppressed', reason: 'customer-deleted' };
  }
  const [product, purchase] = await Promise.all([
    deps.products.get(touchpoint.sku),
    deps.purchases.get(touchpoint.customerId, touchpoint.purchaseId),
  ]);
  const outcome = await deliverMessage(deps, {
    messageId: touchpoint.id,
    campaignId: touchpoint.campaignId,
    customerId: touchpoint.customerId,
    product,
    purchase,
    extra: { touchpointId: touchpoint.id, purchaseId: touchpoint.purchaseId, sku: touchpoint.sku },
  });
  if (!outcome.duplicate && outcome.status !== 'sending' && outcome.status !== 'retry') {
    await deps.touchpoints.setStatus(touchpoint, outcome.status);
  }
  return outcome;
};
