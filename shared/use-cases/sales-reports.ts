import { stages } from '../domain/opportunity.ts';
import { type Principal, seesAllSales } from '../domain/principal.ts';
import { FUNNEL_STAGES, salesCounterDeltas } from '../domain/sales-counters.ts';
import type {
  FunnelReport,
  LeadSourcesReport,
  RangeQuery,
  SalesReport,
  SalesReportQuery,
  SalesRow,
} from '../domain/sales-report.ts';
import { addDays, localDate } from '../domain/zoned-time.ts';
import type { BusEvent } from '../events/domain-event.ts';
import type { CrmDependencies } from '../ports/dependencies.ts';
import type { CounterRow } from '../ports/event-counters.ts';

type Deps = Pick<CrmDependencies, 'counters' | 'clock' | 'settings'>;

/** The report counters' consumer: one domain event → its deltas, applied once per event id. */
export const countSalesEvent = async (deps: Deps, event: BusEvent) =>
  deps.counters.apply(
    event.detail.eventId,
    salesCounterDeltas(event['detail-type'], event.detail, deps.settings.defaultTimezone),
  );

const rate = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : 0);

const weekday = (day: string) => new Date(`${day}T00:00:00Z`).getUTCDay();

export const periodOf = (period: SalesReportQuery['period'], date: string): { from: string; to: string } => {
  if (period === 'day') return { from: date, to: date };
  if (period === 'week') {
    const from = addDays(date, -((weekday(date) + 6) % 7));
    return { from, to: addDays(from, 6) };
  }
  const from = `${date.slice(0, 7)}-01`;
  return { from, to: addDays(`${addDays(from, 32).slice(0, 7)}-01`, -1) };
};

/** Rows of every monthly partition of `name` between two days (inclusive). */
const readDays = async (deps: Deps, name: string, from: string, to: string): Promise<CounterRow[]> => {
  const rows: CounterRow[] = [];
  for (let m = from.slice(0, 7); m <= to.slice(0, 7); m = addDays(`${m}-01`, 32).slice(0, 7)) {
    rows.push(...(await deps.counters.read(`${name}#${m}`, `${from}#`, `${to}#\uffff`)));
  }
  return rows;
};

const emptyRow = (ownerId: string): SalesRow => ({
  ownerId,
  newLeads: 0,
  contacts: { call: 0, visit: 0, testDrive: 0 },
  callbacksDue: 0,
  callbacksDone: 0,
  callbacksOverdue: 0,
  leadsByGrade: {},
  upgrades: 0,
  downgrades: 0,
  won: 0,
  lost: 0,
  conversionRate: 0,
});

const addInto = (row: SalesRow, values: Record<string, number>) => {
  for (const [field, n] of Object.entries(values)) {
    if (field === 'call' || field === 'visit' || field === 'testDrive') row.contacts[field] += n;
    else if (field.startsWith('grade:')) {
      const grade = field.slice('grade:'.length);
      row.leadsByGrade[grade] = (row.leadsByGrade[grade] ?? 0) + n;
    } else if (field in row && field !== 'ownerId' && typeof row[field as keyof SalesRow] === 'number')
      (row as unknown as Record<string, number>)[field] =
        ((row as unknown as Record<string, number>)[field] ?? 0) + n;
  }
};

export const salesReport = async (
  deps: Deps,
  principal: Principal,
  query: SalesReportQuery,
): Promise<SalesReport> => {
  const timezone = deps.settings.defaultTimezone;
  const date = query.date ?? localDate(deps.clock.now(), timezone);
  const { from, to } = periodOf(query.period, date);
  // A salesperson reads their own row only.
  const only = seesAllSales(principal) ? query.ownerId : principal.sub;
  const rows = new Map<string, SalesRow>();
  const rowOf = (ownerId: string) => {
    const row = rows.get(ownerId) ?? emptyRow(ownerId);
    rows.set(ownerId, row);
    return row;
  };
  for (const { key, values } of await readDays(deps, 'sales', from, to)) {
    const ownerId = key.slice(key.indexOf('#') + 1);
    if (only === undefined || ownerId === only) addInto(rowOf(ownerId), values);
  }
  for (const { key, values } of await deps.counters.read('grades')) {
    if (only !== undefined && key !== only) continue;
    if (Object.values(values).some((n) => n !== 0) || rows.has(key)) addInto(rowOf(key), values);
  }
  if (only !== undefined) rowOf(only);
  const totals = emptyRow('');
  const sorted = [...rows.values()].sort((a, b) => a.ownerId.localeCompare(b.ownerId));
  for (const row of sorted) {
    for (const grade of Object.keys(row.leadsByGrade))
      if (row.leadsByGrade[grade] === 0) delete row.leadsByGrade[grade];
    row.conversionRate = rate(row.won, row.won + row.lost);
    const { ownerId: _o, contacts, leadsByGrade, conversionRate: _c, ...figures } = row;
    addInto(totals, {
      ...figures,
      ...contacts,
      ...Object.fromEntries(Object.entries(leadsByGrade).map(([g, n]) => [`grade:${g}`, n])),
    });
  }
  totals.conversionRate = rate(totals.won, totals.won + totals.lost);
  const { ownerId: _, ...totalFigures } = totals;
  return { from, to, timezone, rows: sorted, totals: totalFigures };
};

const rangeOf = (deps: Deps, query: RangeQuery) => {
  const today = localDate(deps.clock.now(), deps.settings.defaultTimezone);
  return { from: query.from ?? `${(query.to ?? today).slice(0, 7)}-01`, to: query.to ?? today };
};

export const funnelReport = async (deps: Deps, query: RangeQuery): Promise<FunnelReport> => {
  const { from, to } = rangeOf(deps, query);
  const sums = new Map<string, { count: number; amount: number; reached: number }>();
  for (const { key, values } of await readDays(deps, 'funnel', from, to)) {
    const stage = key.slice(key.indexOf('#') + 1);
    const sum = sums.get(stage) ?? { count: 0, amount: 0, reached: 0 };
    sum.count += values.count ?? 0;
    sum.amount += values.amount ?? 0;
    sum.reached += values.reached ?? 0;
    sums.set(stage, sum);
  }
  const figures = (stage: string) => sums.get(stage) ?? { count: 0, amount: 0, reached: 0 };
  return {
    from,
    to,
    stages: stages.map((stage) => {
      const index = FUNNEL_STAGES.indexOf(stage as (typeof FUNNEL_STAGES)[number]);
      const previous = index > 0 ? figures(FUNNEL_STAGES[index - 1] as string).reached : undefined;
      const { count, amount, reached } = figures(stage);
      return {
        stage,
        count,
        amount: Math.round(amount * 100) / 100,
        reached: stage === 'lost' ? count : reached,
        ...(previous !== undefined ? { conversionRate: rate(reached, previous) } : {}),
      };
    }),
  };
};

export const leadSourcesReport = async (deps: Deps, query: RangeQuery): Promise<LeadSourcesReport> => {
  const { from, to } = rangeOf(deps, query);
  const sums = new Map<string, { leads: number; won: number; lost: number }>();
  for (const { key, values } of await readDays(deps, 'sources', from, to)) {
    const group = key.slice(key.indexOf('#') + 1);
    const sum = sums.get(group) ?? { leads: 0, won: 0, lost: 0 };
    sum.leads += values.leads ?? 0;
    sum.won += values.won ?? 0;
    sum.lost += values.lost ?? 0;
    sums.set(group, sum);
  }
  const items = [...sums]
    .filter(([, sum]) => sum.leads !== 0)
    .map(([group, sum]) => {
      const [source = '', grade = ''] = group.split('#');
      return {
        source: source as LeadSourcesReport['items'][number]['source'],
        grade,
        ...sum,
        winRate: rate(sum.won, sum.leads),
      };
    })
    .sort((a, b) => a.source.localeCompare(b.source) || a.grade.localeCompare(b.grade));
  return { from, to, items };
};
