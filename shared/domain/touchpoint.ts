import { createHash } from 'node:crypto';
import type { Campaign } from './campaign.ts';
import type { Customer } from './customer.ts';
import { matchesPattern } from './event-pattern.ts';
import type { Purchase, PurchaseItem } from './purchase.ts';
import { addDays, localDate, localParts, minutesOfDay, parseClock, zonedToUtc } from './zoned-time.ts';

export const touchpointStatuses = ['scheduled', 'sent', 'suppressed', 'failed', 'cancelled'] as const;

/** One planned message: one campaign × one purchase × one sku, fired by one one-time schedule. */
export interface Touchpoint {
  /** Also the schedule's name, so planning the same thing twice cannot make a second schedule. */
  id: string;
  campaignId: string;
  customerId: string;
  purchaseId: string;
  sku: string;
  channel: Campaign['channel'];
  fireAt: string;
  timezone: string;
  status: (typeof touchpointStatuses)[number];
  createdAt: string;
}

const DAY_MS = 86_400_000;

/** Schedule names allow 64 characters of [0-9A-Za-z-_.]; a hash of the three ids keeps it short and stable. */
export const touchpointId = (campaignId: string, purchaseId: string, sku: string) =>
  `tp-${createHash('sha256').update(`${campaignId}|${purchaseId}|${sku}`).digest('hex').slice(0, 40)}`;

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

/** Every touchpoint a purchase earns under one active lifecycle campaign; past ones are dropped. */
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
  return purchase.items.flatMap((item) => {
    if (seen.has(item.sku) || !itemMatches(campaign, item)) return [];
    seen.add(item.sku);
    const at = fireTime(campaign, purchase.purchasedAt, item, customer.timezone);
    if (!at || at.getTime() <= now.getTime()) return [];
    return [
      {
        id: touchpointId(campaign.id, purchase.id, item.sku),
        campaignId: campaign.id,
        customerId: customer.id,
        purchaseId: purchase.id,
        sku: item.sku,
        channel: campaign.channel,
        fireAt: at.toISOString(),
        timezone: customer.timezone,
        status: 'scheduled' as const,
        createdAt: now.toISOString(),
      },
    ];
  });
};

/** Whether an instant falls inside the window in the recipient's local time. */
export const inSendWindow = (instant: Date, timezone: string, window: Campaign['sendWindow']): boolean => {
  const { hour, minute } = localParts(instant, timezone);
  const minutes = hour * 60 + minute;
  return minutes >= minutesOfDay(window.start) && minutes < minutesOfDay(window.end);
};
