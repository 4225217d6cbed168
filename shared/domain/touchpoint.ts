import { createHash } from 'node:crypto';
import type { Campaign } from './campaign.ts';
import type { Customer } from './customer.ts';
import { matchesPattern } from './event-pattern.ts';
import type { Purchase, PurchaseItem } from './purchase.ts';
import { addDays, localDate, minutesOfDay, parseClock, zonedToUtc } from './zoned-time.ts';

export const touchpointStatuses = [
  'scheduled',
  'deferred',
  'sent',
  'suppressed',
  'failed',
  'holdout',
  'cancelled',
] as const;

/**
 * One planned message, fired by one one-time schedule: one campaign × one purchase × one sku, or
 * for a survey one campaign × one purchase, asking about every matching sku at once.
 */
export interface Touchpoint {
  /** Also the schedule's name, so planning the same thing twice cannot make a second schedule. */
  id: string;
  campaignId: string;
  customerId: string;
  purchaseId: string;
  /** The first matching sku; `skus` lists every one the message is about. */
  sku: string;
  skus?: string[];
  channel: Campaign['channel'];
  fireAt: string;
  timezone: string;
  status: (typeof touchpointStatuses)[number];
  createdAt: string;
}

const DAY_MS = 86_400_000;

/** Schedule names allow 64 characters of [0-9A-Za-z-_.]; a hash of the three ids keeps it short and stable. */
export const touchpointId = (campaignId: string, purchaseId: string, sku?: string) =>
  `tp-${createHash('sha256')
    .update(sku === undefined ? `${campaignId}|${purchaseId}` : `${campaignId}|${purchaseId}|${sku}`)
    .digest('hex')
    .slice(0, 40)}`;

export const itemMatches = (campaign: Campaign, item: PurchaseItem): boolean => {
  const filter = campaign.trigger?.products;
  if (!filter || (!filter.skus && !filter.categories)) return true;
  return (filter.skus?.includes(item.sku) ?? false) || (filter.categories?.includes(item.category) ?? false);
};

/**
 * When a touchpoint fires: the day the timing names, at `sendAt` in the customer's zone, moved
 * into the send window (before it: the window's start; at or after its end: the next day's
 * start). DST follows zonedToUtc's rule. Undefined when the timing cannot apply (no lifespan).
 */
export const fireTime = (
  campaign: Campaign,
  purchasedAt: string,
  item: PurchaseItem,
  timezone: string,
): Date | undefined => {
  const timing = campaign.trigger?.timing;
  if (!timing) return undefined;
  let day: string;
  if ('afterPurchaseDays' in timing) {
    day = addDays(localDate(new Date(purchasedAt), timezone), timing.afterPurchaseDays);
  } else {
    if (item.lifespanDays === undefined) return undefined;
    const lifespanEnd = new Date(Date.parse(purchasedAt) + item.lifespanDays * DAY_MS);
    day = addDays(localDate(lifespanEnd, timezone), -timing.beforeLifespanEndDays);
  }
  let clock = campaign.sendAt;
  if (minutesOfDay(clock) < minutesOfDay(campaign.sendWindow.start)) clock = campaign.sendWindow.start;
  else if (minutesOfDay(clock) >= minutesOfDay(campaign.sendWindow.end)) {
    clock = campaign.sendWindow.start;
    day = addDays(day, 1);
  }
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  return zonedToUtc({ year, month, day: date, ...parseClock(clock) }, timezone);
};

/**
 * Every touchpoint a purchase earns under one active lifecycle campaign; past ones are dropped. A
 * survey asks once per purchase about every matching item (fired at the earliest item's time), so a
 * basket never loses a survey to the daily cap; other campaigns plan one touchpoint per sku.
 */
export const planTouchpoints = (
  campaign: Campaign,
  purchase: Purchase,
  customer: Customer,
  now: Date,
): Touchpoint[] => {
  if (campaign.kind !== 'lifecycle' || campaign.status !== 'active') return [];
  if (
    campaign.audience &&
    !matchesPattern(campaign.audience as Parameters<typeof matchesPattern>[0], customer)
  )
    return [];
  const seen = new Set<string>();
  const timed = purchase.items.flatMap((item) => {
    if (seen.has(item.sku) || !itemMatches(campaign, item)) return [];
    seen.add(item.sku);
    const at = fireTime(campaign, purchase.purchasedAt, item, customer.timezone);
    return at && at.getTime() > now.getTime() ? [{ sku: item.sku, at }] : [];
  });
  const touchpoint = (id: string, skus: string[], at: Date): Touchpoint => ({
    id,
    campaignId: campaign.id,
    customerId: customer.id,
    purchaseId: purchase.id,
    sku: skus[0] as string,
    ...(campaign.survey ? { skus } : {}),
    channel: campaign.channel,
    fireAt: at.toISOString(),
    timezone: customer.timezone,
    status: 'scheduled',
    createdAt: now.toISOString(),
  });
  if (campaign.survey) {
    if (timed.length === 0) return [];
    const first = timed.reduce((a, b) => (b.at.getTime() < a.at.getTime() ? b : a));
    return [
      touchpoint(
        touchpointId(campaign.id, purchase.id),
        timed.map((t) => t.sku),
        first.at,
      ),
    ];
  }
  return timed.map(({ sku, at }) => touchpoint(touchpointId(campaign.id, purchase.id, sku), [sku], at));
};
