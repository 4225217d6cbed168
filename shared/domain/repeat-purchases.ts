import * as z from 'zod';
import { CalendarDate } from './common.ts';
import { localDate } from './zoned-time.ts';

/**
 * Repeat purchases of reminded and held-out customers, month by month (API.md "Campaign
 * effectiveness"). The rules live here as pure functions; the counters that apply them follow the
 * stream (shared/use-cases/repeat-purchases.ts).
 */

/** The longest range one report covers. */
export const MAX_REPORT_MONTHS = 36;

const DateOnly = z.iso.date({ error: 'must be a date such as 2026-11-23' });

export const RepeatPurchasesQuery = z
  .strictObject({
    /** First day, in the store's time zone; its month is the first row. Defaults to 11 months before `to`. */
    from: CalendarDate.optional(),
    /** Last day (inclusive); its month is the last row. Defaults to today. */
    to: CalendarDate.optional(),
    interval: z.enum(['month']).default('month'),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { path: ['to'], message: 'must not be before from' })
  .refine((q) => !q.from || !q.to || monthsBetween(q.from, q.to).length <= MAX_REPORT_MONTHS, {
    path: ['from'],
    message: `must be at most ${MAX_REPORT_MONTHS} months before to`,
  })
  .meta({ id: 'RepeatPurchasesQuery' });
export type RepeatPurchasesQuery = z.infer<typeof RepeatPurchasesQuery>;

export const RepeatFigures = z
  .object({
    /** Distinct customers of the group who bought in the month. */
    buyers: z.number().int(),
    /** Of those, the ones with a purchase in the month that was not their first purchase ever. */
    repeatBuyers: z.number().int(),
    /** repeatBuyers ÷ buyers, rounded to 4 decimals; 0 when nobody bought. */
    repeatRate: z.number(),
    /**
     * The 95% Wilson score interval of the rate (4 decimals; 0–1 when nobody bought): how far the
     * true rate may lie from a small group's figure. Groups whose intervals overlap are not
     * shown apart.
     */
    repeatRateInterval: z.object({ low: z.number(), high: z.number() }),
  })
  .meta({ id: 'RepeatFigures' });
export type RepeatFigures = z.infer<typeof RepeatFigures>;

export const RepeatPurchasesReport = z
  .object({
    interval: z.literal('month'),
    from: DateOnly,
    to: DateOnly,
    /** The zone months are cut in: the deployment's. */
    timezone: z.string(),
    items: z.array(
      z.object({
        /** The month's first day (YYYY-MM-01) in `timezone`. */
        start: DateOnly,
        reminded: RepeatFigures,
        heldOut: RepeatFigures,
        /** reminded.repeatRate − heldOut.repeatRate (4 decimals). */
        uplift: z.number(),
      }),
    ),
  })
  .meta({ id: 'RepeatPurchasesReport' });
export type RepeatPurchasesReport = z.infer<typeof RepeatPurchasesReport>;

/** Which side of the comparison a customer's purchase falls on; `none` is counted nowhere. */
export type RepeatGroup = 'reminded' | 'heldOut';

/** When a customer first became reminded and held out (the first final message of each kind). */
export interface GroupMarks {
  remindedAt?: string | undefined;
  heldOutAt?: string | undefined;
}

/**
 * The group of a purchase made at `purchasedAt`: reminded once a lifecycle message was sent to the
 * customer by then, else held out once one was held out by then. A customer who is both is reminded.
 */
export const groupAt = (marks: GroupMarks | undefined, purchasedAt: string): RepeatGroup | undefined => {
  const at = Date.parse(purchasedAt);
  if (marks?.remindedAt !== undefined && Date.parse(marks.remindedAt) <= at) return 'reminded';
  if (marks?.heldOutAt !== undefined && Date.parse(marks.heldOutAt) <= at) return 'heldOut';
  return undefined;
};

/** The month (YYYY-MM) of an instant in a zone: a purchase at 23:30 UTC on 31 Jan is February in Shanghai. */
export const monthOf = (instant: string | Date, timeZone: string): string =>
  localDate(typeof instant === 'string' ? new Date(instant) : instant, timeZone).slice(0, 7);

const nextMonth = (month: string): string => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
};

/** Every month (YYYY-MM) from the month of `from` to the month of `to`, both dates YYYY-MM-DD. */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  for (let m = from.slice(0, 7); m <= to.slice(0, 7); m = nextMonth(m)) months.push(m);
  return months;
}

/** `to`'s month and the 11 before it: a year of rows. */
export const defaultFrom = (to: string): string => {
  const [y, m] = to.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) - 11;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}-01`;
};

const round4 = (n: number) => Math.round(n * 10_000) / 10_000;

export const repeatRate = (repeatBuyers: number, buyers: number): number =>
  buyers > 0 ? round4(repeatBuyers / buyers) : 0;

/** z for a two-sided 95% interval. */
const Z95 = 1.959964;

/**
 * The Wilson score interval of a proportion (Wilson 1927): unlike the normal approximation it stays
 * inside 0–1 and is honest for small groups and rates near 0 or 1. A closed formula, so no library.
 */
export const wilsonInterval = (successes: number, trials: number): { low: number; high: number } => {
  if (trials <= 0) return { low: 0, high: 1 };
  const p = successes / trials;
  const z2 = Z95 * Z95;
  const centre = (p + z2 / (2 * trials)) / (1 + z2 / trials);
  const half = (Z95 / (1 + z2 / trials)) * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  return { low: round4(Math.max(0, centre - half)), high: round4(Math.min(1, centre + half)) };
};

export const uplift = (reminded: number, heldOut: number): number => round4(reminded - heldOut);

/** Which mark a final message sets: a lifecycle message sent reminds, one held out holds out. */
export const markOfMessage = (message: {
  status?: unknown;
  touchpointId?: unknown;
}): 'remindedAt' | 'heldOutAt' | undefined => {
  // Lifecycle messages come from a touchpoint; a broadcast's have an occurrence instead.
  if (typeof message.touchpointId !== 'string') return undefined;
  if (message.status === 'sent') return 'remindedAt';
  if (message.status === 'holdout') return 'heldOutAt';
  return undefined;
};
