import * as z from 'zod';
import type { Goal } from './campaign.ts';
import type { PurchaseItem } from './purchase.ts';
import { addDays } from './zoned-time.ts';

/** What a customer's exposure to a campaign remembers for conversion: enough to match a purchase. */
export interface ExposureFacts {
  sentAt: string;
  goal: Goal;
  /** Categories of the items the message was about (for `sameCategory`). */
  categories: string[];
}

/**
 * The items of a purchase that meet the goal, or none when it does not convert: the purchase must
 * come after the message and within `withinDays` of it.
 */
export const matchingItems = <T extends Pick<PurchaseItem, 'sku' | 'category'>>(
  exposure: ExposureFacts,
  purchase: { purchasedAt: string; items: T[] },
): T[] => {
  const sent = Date.parse(exposure.sentAt);
  const at = Date.parse(purchase.purchasedAt);
  if (!(at > sent) || at > sent + exposure.goal.withinDays * 86_400_000) return [];
  const want = exposure.goal.purchase;
  if ('sameCategory' in want) return purchase.items.filter((i) => exposure.categories.includes(i.category));
  if ('skus' in want) return purchase.items.filter((i) => want.skus.includes(i.sku));
  if ('categories' in want) return purchase.items.filter((i) => want.categories.includes(i.category));
  return purchase.items;
};

/**
 * Report counters: every row is split in shards, each shard in a partition of its own, so a
 * campaign's messages spread their ADDs over REPORT_SHARDS partition keys (DynamoDB throttles by
 * partition key; shards under one key would all land on it). A report reads every shard.
 */
export const REPORT_SHARDS = 8;
export const reportPartition = (campaignId: string, shard: number) => `effect#${campaignId}#${shard}`;
export const totalsKey = (shard: number) => `totals#${shard}`;
export const variantKey = (name: string, shard: number) => `variant#${name}#${shard}`;
export const dayKey = (day: string, shard: number) => `day#${day}#${shard}`;

/** Which row a counter key belongs to (shards summed). */
export const rowOf = (
  key: string,
): { row: 'totals' } | { row: 'variant'; name: string } | { row: 'day'; day: string } | undefined => {
  const unsharded = key.slice(0, key.lastIndexOf('#'));
  if (unsharded === 'totals') return { row: 'totals' };
  if (unsharded.startsWith('variant#')) return { row: 'variant', name: unsharded.slice('variant#'.length) };
  if (unsharded.startsWith('day#')) return { row: 'day', day: unsharded.slice('day#'.length) };
  return undefined;
};

/** Rates are rounded to 4 decimals (0.1234 = 12.34%). */
export const rate = (part: number, whole: number) => (whole > 0 ? round4(part / whole) : 0);
const round4 = (n: number) => Math.round(n * 10_000) / 10_000;

/** Below this many messages in either group, or this few conversions, the normal approximation is not trusted. */
export const MINIMUM_PER_GROUP = 100;
export const MINIMUM_CONVERSIONS = 5;

/**
 * Uplift (treated rate − holdout rate) with a 95% confidence interval: the Wald interval of the
 * difference of two independent proportions, p₁ − p₀ ± 1.96·√(p₁(1−p₁)/n₁ + p₀(1−p₀)/n₀).
 * `enoughData` says whether each group is large enough for that approximation (n ≥ 100 and at least
 * five conversions and five non-conversions); `significant` whether the interval excludes zero.
 */
export const upliftInterval = (treated: { n: number; x: number }, holdout: { n: number; x: number }) => {
  const p1 = treated.n > 0 ? treated.x / treated.n : 0;
  const p0 = holdout.n > 0 ? holdout.x / holdout.n : 0;
  const enough = (g: { n: number; x: number }) =>
    g.n >= MINIMUM_PER_GROUP && g.x >= MINIMUM_CONVERSIONS && g.n - g.x >= MINIMUM_CONVERSIONS;
  if (treated.n === 0 || holdout.n === 0) {
    return { level: 0.95, low: null, high: null, significant: false, enoughData: false };
  }
  const se = Math.sqrt((p1 * (1 - p1)) / treated.n + (p0 * (1 - p0)) / holdout.n);
  const low = round4(p1 - p0 - 1.96 * se);
  const high = round4(p1 - p0 + 1.96 * se);
  return {
    level: 0.95,
    low,
    high,
    significant: enough(treated) && enough(holdout) && (low > 0 || high < 0),
    enoughData: enough(treated) && enough(holdout),
  };
};

/** The Monday a day's week starts on. */
export const weekOf = (day: string) => addDays(day, -((new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7));

export const CampaignReportQuery = z.strictObject({
  interval: z.enum(['day', 'week']).default('day'),
});
export type CampaignReportQuery = z.infer<typeof CampaignReportQuery>;

export const CampaignReport = z
  .object({
    totals: z.object({
      /** Messages sent (the treated group). */
      sent: z.number().int(),
      /** Messages recorded as `holdout` (the control group). */
      holdout: z.number().int(),
      /** Treated customers whose first matching purchase fell within the goal's days. */
      conversions: z.number().int(),
      conversionRate: z.number(),
      /** Value of the matching items of the treated group's converting purchases. */
      revenue: z.number(),
      holdoutConversions: z.number().int(),
      holdoutConversionRate: z.number(),
      /** conversionRate − holdoutConversionRate. */
      uplift: z.number(),
      holdoutRevenue: z.number(),
    }),
    /** How far to trust the uplift. */
    confidence: z.object({
      level: z.number(),
      /** The 95% interval of the uplift; null while a group is empty. */
      upliftLow: z.number().nullable(),
      upliftHigh: z.number().nullable(),
      significant: z.boolean(),
      enoughData: z.boolean(),
      minimumPerGroup: z.number().int(),
    }),
    variants: z.array(
      z.object({
        name: z.string(),
        sent: z.number().int(),
        conversions: z.number().int(),
        conversionRate: z.number(),
        replies: z.number().int(),
        satisfied: z.number().int(),
      }),
    ),
    series: z.array(
      z.object({
        /** The first day of the interval (a Monday for weeks), in the deployment's time zone. */
        start: z.string(),
        sent: z.number().int(),
        replies: z.number().int(),
        conversions: z.number().int(),
        holdout: z.number().int(),
        holdoutConversions: z.number().int(),
      }),
    ),
    interval: z.enum(['day', 'week']),
    timezone: z.string(),
    goal: z.unknown().optional(),
  })
  .meta({ id: 'CampaignReport' });
export type CampaignReport = z.infer<typeof CampaignReport>;

type Row = Record<string, number>;
const addRow = (into: Row, values: Row) => {
  for (const [field, n] of Object.entries(values))
    if (typeof n === 'number') into[field] = (into[field] ?? 0) + n;
};
const n = (row: Row | undefined, field: string) => row?.[field] ?? 0;

/** Builds the report from the campaign's counter rows (every shard of every row). */
export const buildReport = (
  rows: { key: string; values: Row }[],
  options: { variantNames: string[]; interval: 'day' | 'week'; timezone: string; goal?: unknown },
): CampaignReport => {
  const totals: Row = {};
  const variants = new Map<string, Row>(options.variantNames.map((name) => [name, {}]));
  const buckets = new Map<string, Row>();
  for (const { key, values } of rows) {
    const row = rowOf(key);
    if (row?.row === 'totals') addRow(totals, values);
    if (row?.row === 'variant') {
      const into = variants.get(row.name) ?? {};
      addRow(into, values);
      variants.set(row.name, into);
    }
    if (row?.row === 'day') {
      const start = options.interval === 'week' ? weekOf(row.day) : row.day;
      const into = buckets.get(start) ?? {};
      addRow(into, values);
      buckets.set(start, into);
    }
  }
  const sent = n(totals, 'sent');
  const holdout = n(totals, 'holdout');
  const conversions = n(totals, 'conversions');
  const holdoutConversions = n(totals, 'holdoutConversions');
  const conversionRate = rate(conversions, sent);
  const holdoutConversionRate = rate(holdoutConversions, holdout);
  const interval = upliftInterval({ n: sent, x: conversions }, { n: holdout, x: holdoutConversions });
  // Every interval between the first and the last with figures, so a chart has no gaps.
  const starts = [...buckets.keys()].sort();
  const series: CampaignReport['series'] = [];
  const step = options.interval === 'week' ? 7 : 1;
  for (let start = starts[0]; start && start <= (starts.at(-1) as string); start = addDays(start, step)) {
    const bucket = buckets.get(start);
    series.push({
      start,
      sent: n(bucket, 'sent'),
      replies: n(bucket, 'replies'),
      conversions: n(bucket, 'conversions'),
      holdout: n(bucket, 'holdout'),
      holdoutConversions: n(bucket, 'holdoutConversions'),
    });
  }
  return {
    totals: {
      sent,
      holdout,
      conversions,
      conversionRate,
      revenue: Math.round(n(totals, 'revenue') * 100) / 100,
      holdoutConversions,
      holdoutConversionRate,
      uplift: round4(conversionRate - holdoutConversionRate),
      holdoutRevenue: Math.round(n(totals, 'holdoutRevenue') * 100) / 100,
    },
    confidence: {
      level: interval.level,
      upliftLow: interval.low,
      upliftHigh: interval.high,
      significant: interval.significant,
      enoughData: interval.enoughData,
      minimumPerGroup: MINIMUM_PER_GROUP,
    },
    variants: [...variants].map(([name, row]) => ({
      name,
      sent: n(row, 'sent'),
      conversions: n(row, 'conversions'),
      conversionRate: rate(n(row, 'conversions'), n(row, 'sent')),
      replies: n(row, 'replies'),
      satisfied: n(row, 'satisfied'),
    })),
    series,
    interval: options.interval,
    timezone: options.timezone,
    ...(options.goal ? { goal: options.goal } : {}),
  };
};
