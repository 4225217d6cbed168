import { lazy, Suspense } from 'preact/compat';
import { useState } from 'preact/hooks';
import { query } from '../api.ts';
import { useApp } from '../context.ts';
import { formatNumber, formatPercent, formatPoints } from '../format.ts';
import type { RepeatFigures, RepeatPurchases } from '../types.ts';
import { Cell, Field, Loading, Problem, useLoad } from '../ui.tsx';

const Chart = lazy(() => import('../chart.tsx').then((m) => m.Chart));

/** A month's start ("2026-11-01…") as "Nov 2026" in the viewer's language; the month is the report's own. */
const monthLabel = (start: string, lang: string) =>
  new Intl.DateTimeFormat(lang, { year: 'numeric', month: 'short', timeZone: 'UTC' }).format(
    new Date(`${start.slice(0, 7)}-01T00:00:00Z`),
  );

/** `GET /reports/repeat-purchases`: per month, repeat buyers among reminded and held-out customers. */
export const RepeatPurchasesView = () => {
  const { api, t, lang } = useApp();
  // Empty: the server's default, a year of months to its today (the local runtime's virtual clock).
  const [range, setRange] = useState({ from: '', to: '' });
  const { data, error, loading } = useLoad(
    () => api<RepeatPurchases>('GET', `/reports/repeat-purchases${query({ ...range, interval: 'month' })}`),
    [range.from, range.to],
  );
  const rows = data?.items ?? [];
  const groups = [
    ['reminded', t('repeat.reminded')],
    ['heldOut', t('repeat.heldOut')],
  ] as const;
  const columns: [string, (f: RepeatFigures) => string][] = [
    [t('repeat.buyers'), (f) => formatNumber(f.buyers, lang)],
    [t('repeat.repeatBuyers'), (f) => formatNumber(f.repeatBuyers, lang)],
    [
      t('repeat.rate'),
      (f) =>
        f.repeatRateInterval
          ? `${formatPercent(f.repeatRate, lang)} (${formatPercent(f.repeatRateInterval.low, lang)}–${formatPercent(f.repeatRateInterval.high, lang)})`
          : formatPercent(f.repeatRate, lang),
    ],
  ];
  const hasUplift = rows.some((r) => r.uplift !== undefined);
  // The first pick keeps the other end the server chose, so the range changes only where asked.
  const date = (key: 'from' | 'to') => (e: Event) =>
    setRange({
      from: range.from || data?.from || '',
      to: range.to || data?.to || '',
      [key]: (e.target as HTMLInputElement).value,
    });
  return (
    <section aria-labelledby="repeat-purchases">
      <h2 id="repeat-purchases">{t('repeat.title')}</h2>
      <p class="muted">{t('repeat.hint')}</p>
      <form class="filters" aria-label={t('repeat.title')} onSubmit={(e) => e.preventDefault()}>
        <Field label={t('reports.from')}>
          {(id) => (
            <input
              id={id}
              type="date"
              required
              value={range.from || data?.from || ''}
              onChange={date('from')}
            />
          )}
        </Field>
        <Field label={t('reports.to')}>
          {(id) => (
            <input id={id} type="date" required value={range.to || data?.to || ''} onChange={date('to')} />
          )}
        </Field>
      </form>
      <Problem error={error} />
      {loading && !data && <Loading />}
      {data && (
        <p class="muted">{t('reports.range', { from: data.from, to: data.to, zone: data.timezone })}</p>
      )}
      {data && rows.length === 0 && <p>{t('reports.noRows')}</p>}
      {rows.length > 0 && (
        <>
          <div class="charts">
            <Suspense fallback={<Loading />}>
              <Chart
                kind="time"
                yMax={100}
                xLabel={t('reports.month')}
                title={t('repeat.chart')}
                x={rows.map((r) => Date.parse(`${r.start.slice(0, 7)}-01T00:00:00Z`) / 1000)}
                xTick={(seconds) => monthLabel(new Date(seconds * 1000).toISOString(), lang)}
                series={[
                  {
                    label: t('repeat.reminded'),
                    values: rows.map((r) => Math.round(r.reminded.repeatRate * 1000) / 10),
                    color: '#2563eb',
                  },
                  {
                    label: t('repeat.heldOut'),
                    values: rows.map((r) => Math.round(r.heldOut.repeatRate * 1000) / 10),
                    color: '#9ca3af',
                  },
                ]}
                summary={rows
                  .map(
                    (r) =>
                      `${monthLabel(r.start, lang)}: ${t('repeat.reminded')} ${formatPercent(r.reminded.repeatRate, lang)}, ${t('repeat.heldOut')} ${formatPercent(r.heldOut.repeatRate, lang)}`,
                  )
                  .join('; ')}
              />
            </Suspense>
          </div>
          <table class="list" aria-labelledby="repeat-purchases" data-testid="repeat-table">
            <thead>
              <tr>
                <th scope="col" rowSpan={2}>
                  {t('reports.month')}
                </th>
                {groups.map(([key, label]) => (
                  <th key={key} scope="colgroup" colSpan={columns.length}>
                    {label}
                  </th>
                ))}
                {hasUplift && (
                  <th scope="col" rowSpan={2}>
                    {t('report.uplift')}
                  </th>
                )}
              </tr>
              <tr>
                {groups.flatMap(([key]) =>
                  columns.map(([label]) => (
                    <th key={`${key}-${label}`} scope="col">
                      {label}
                    </th>
                  )),
                )}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.start}>
                  <Cell label={t('reports.month')}>{monthLabel(r.start, lang)}</Cell>
                  {groups.flatMap(([key, group]) =>
                    columns.map(([label, value]) => (
                      <Cell key={`${key}-${label}`} label={`${group}: ${label}`}>
                        {value(r[key])}
                      </Cell>
                    )),
                  )}
                  {hasUplift && (
                    <Cell label={t('report.uplift')}>
                      {r.uplift === undefined ? '–' : t('report.points', { n: formatPoints(r.uplift, lang) })}
                    </Cell>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
};
