import { ValidationError } from '../domain/errors.ts';
import type { Purchase } from '../domain/purchase.ts';
import {
  defaultFrom,
  groupAt,
  MAX_REPORT_MONTHS,
  monthOf,
  monthsBetween,
  type RepeatPurchasesQuery,
  type RepeatPurchasesReport,
  repeatRate,
  uplift,
  wilsonInterval,
} from '../domain/repeat-purchases.ts';
import { localDate } from '../domain/zoned-time.ts';
import type { BusEvent } from '../events/domain-event.ts';
import type { CrmDependencies } from '../ports/dependencies.ts';
import type { MonthFigures } from '../ports/repeat-purchases.ts';

type Deps = Pick<CrmDependencies, 'repeatPurchases' | 'clock' | 'settings'>;

/**
 * `purchase.recorded` → the repeat-purchase counters. One GetItem reads the customer's marks and
 * first purchase; the group is the one the customer was in when they bought. Redeliveries change
 * nothing (every counted fact is a conditional marker), and so does arriving out of order.
 */
export const countRepeatPurchase = async (deps: Deps, event: BusEvent) => {
  const purchase = event.detail.entity as Partial<Purchase>;
  if (
    event['detail-type'] !== 'purchase.recorded' ||
    !purchase.customerId ||
    !purchase.id ||
    !purchase.purchasedAt
  )
    return;
  const state = await deps.repeatPurchases.state(purchase.customerId);
  await deps.repeatPurchases.count(
    {
      customerId: purchase.customerId,
      purchaseId: purchase.id,
      purchasedAt: purchase.purchasedAt,
      month: monthOf(purchase.purchasedAt, deps.settings.defaultTimezone),
      group: groupAt(state, purchase.purchasedAt),
    },
    state,
  );
};

const figures = ({ buyers, repeatBuyers }: MonthFigures = { buyers: 0, repeatBuyers: 0 }) => ({
  buyers,
  repeatBuyers,
  repeatRate: repeatRate(repeatBuyers, buyers),
  repeatRateInterval: wilsonInterval(repeatBuyers, buyers),
});

/** Month by month, reminded and held-out customers side by side, from the counters alone. */
export const repeatPurchasesReport = async (
  deps: Deps,
  query: RepeatPurchasesQuery,
): Promise<RepeatPurchasesReport> => {
  const timezone = deps.settings.defaultTimezone;
  const to = query.to ?? localDate(deps.clock.now(), timezone);
  const from = query.from ?? defaultFrom(to);
  // The schema checks a range given whole; a range completed with today is checked here.
  if (from > to) throw ValidationError.field('query.from', 'must not be after to (today by default)');
  const months = monthsBetween(from, to);
  if (months.length > MAX_REPORT_MONTHS)
    throw ValidationError.field('query.from', `must be at most ${MAX_REPORT_MONTHS} months before to`);
  const counted = await deps.repeatPurchases.read(months[0] as string, months.at(-1) as string);
  return {
    interval: 'month',
    from,
    to,
    timezone,
    items: months.map((month) => {
      const reminded = figures(counted.get(month)?.reminded);
      const heldOut = figures(counted.get(month)?.heldOut);
      return {
        start: `${month}-01`,
        reminded,
        heldOut,
        uplift: uplift(reminded.repeatRate, heldOut.repeatRate),
      };
    }),
  };
};
