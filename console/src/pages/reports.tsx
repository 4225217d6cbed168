import { useState } from 'preact/hooks';
import { query } from '../api.ts';
import { Chart } from '../chart.tsx';
import { useApp } from '../context.ts';
import { formatNumber, formatPercent } from '../format.ts';
import { Cell, Field, Loading, PageHeader, Problem, useLoad } from '../ui.tsx';
import { RepeatPurchasesView } from './repeat-purchases.tsx';

interface Figures {
  newLeads: number;
  contacts: { call: number; visit: number; testDrive: number };
  callbacksDue: number;
  callbacksDone: number;
  callbacksOverdue: number;
  upgrades: number;
  downgrades: number;
  won: number;
  lost: number;
  conversionRate: number;
}
interface SalesReport {
  from: string;
  to: string;
  timezone: string;
  rows: (Figures & { ownerId: string })[];
  totals: Figures;
}
const stages = ['qualification', 'demo', 'quote', 'contract', 'won', 'lost'] as const;
const stageName = (stage: string, t: ReturnType<typeof useApp>['t']) =>
  (stages as readonly string[]).includes(stage) ? t(`stage.${stage as (typeof stages)[number]}`) : stage;

interface Funnel {
  from: string;
  to: string;
  stages: { stage: string; count: number; amount: number; reached: number; conversionRate?: number }[];
}

const SalesTable = () => {
  const { api, t, lang } = useApp();
  // No date: the server's today, in the deployment's zone (and on the local runtime's virtual clock).
  const [params, setParams] = useState({ period: 'day', date: '' });
  const { data, error, loading } = useLoad(
    () => api<SalesReport>('GET', `/reports/sales${query(params)}`),
    [params.period, params.date],
  );
  const columns: [string, (f: Figures) => string][] = [
    [t('reports.newLeads'), (f) => formatNumber(f.newLeads, lang)],
    [t('reports.calls'), (f) => formatNumber(f.contacts.call, lang)],
    [t('reports.visits'), (f) => formatNumber(f.contacts.visit, lang)],
    [t('reports.testDrives'), (f) => formatNumber(f.contacts.testDrive, lang)],
    [t('reports.callbacksDue'), (f) => formatNumber(f.callbacksDue, lang)],
    [t('reports.callbacksDone'), (f) => formatNumber(f.callbacksDone, lang)],
    [t('reports.callbacksOverdue'), (f) => formatNumber(f.callbacksOverdue, lang)],
    [t('reports.upgrades'), (f) => formatNumber(f.upgrades, lang)],
    [t('reports.downgrades'), (f) => formatNumber(f.downgrades, lang)],
    [t('reports.won'), (f) => formatNumber(f.won, lang)],
    [t('reports.lost'), (f) => formatNumber(f.lost, lang)],
    [t('reports.conversion'), (f) => formatPercent(f.conversionRate, lang)],
  ];
  return (
    <section aria-labelledby="sales-report">
      <h2 id="sales-report">{t('reports.sales')}</h2>
      <form class="filters" aria-label={t('reports.sales')} onSubmit={(e) => e.preventDefault()}>
        <Field label={t('reports.period')}>
          {(id) => (
            <select
              id={id}
              value={params.period}
              onChange={(e) => setParams({ ...params, period: (e.target as HTMLSelectElement).value })}
            >
              <option value="day">{t('reports.day')}</option>
              <option value="week">{t('reports.week')}</option>
              <option value="month">{t('reports.month')}</option>
            </select>
          )}
        </Field>
        <Field label={t('reports.date')}>
          {(id) => (
            <input
              id={id}
              type="date"
              value={params.date}
              onChange={(e) => setParams({ ...params, date: (e.target as HTMLInputElement).value })}
            />
          )}
        </Field>
      </form>
      <Problem error={error} />
      {loading && !data && <Loading />}
      {data && (
        <>
          <p class="muted">{t('reports.range', { from: data.from, to: data.to, zone: data.timezone })}</p>
          {data.rows.length === 0 ? (
            <p>{t('reports.noRows')}</p>
          ) : (
            <table class="list">
              <thead>
                <tr>
                  <th scope="col">{t('reports.owner')}</th>
                  {columns.map(([label]) => (
                    <th key={label} scope="col">
                      {label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {[
                  ...data.rows.map((r) => [r.ownerId, r] as const),
                  [t('reports.totals'), data.totals] as const,
                ].map(([owner, f]) => (
                  <tr key={owner}>
                    <Cell label={t('reports.owner')}>{owner}</Cell>
                    {columns.map(([label, value]) => (
                      <Cell key={label} label={label}>
                        {value(f)}
                      </Cell>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
};

const FunnelView = () => {
  const { api, t, lang } = useApp();
  const [range, setRange] = useState({ from: '', to: '' });
  const { data, error, loading } = useLoad(
    () => api<Funnel>('GET', `/reports/funnel${query(range)}`),
    [range.from, range.to],
  );
  return (
    <section aria-labelledby="funnel">
      <h2 id="funnel">{t('reports.funnel')}</h2>
      <form class="filters" aria-label={t('reports.funnel')} onSubmit={(e) => e.preventDefault()}>
        <Field label={t('reports.from')}>
          {(id) => (
            <input
              id={id}
              type="date"
              value={range.from}
              onChange={(e) => setRange({ ...range, from: (e.target as HTMLInputElement).value })}
            />
          )}
        </Field>
        <Field label={t('reports.to')}>
          {(id) => (
            <input
              id={id}
              type="date"
              value={range.to}
              onChange={(e) => setRange({ ...range, to: (e.target as HTMLInputElement).value })}
            />
          )}
        </Field>
      </form>
      <Problem error={error} />
      {loading && !data && <Loading />}
      {data && (
        <>
          <div class="charts">
            <Chart
              kind="bars"
              title={t('reports.funnelChart')}
              x={data.stages.map((s) => stageName(s.stage, t))}
              series={[
                { label: t('reports.reached'), values: data.stages.map((s) => s.reached), color: '#7c3aed' },
              ]}
              summary={data.stages.map((s) => `${stageName(s.stage, t)} ${s.reached}`).join(', ')}
            />
          </div>
          <table class="list">
            <thead>
              <tr>
                <th scope="col">{t('reports.stage')}</th>
                <th scope="col">{t('reports.reached')}</th>
                <th scope="col">{t('reports.count')}</th>
                <th scope="col">{t('reports.amount')}</th>
                <th scope="col">{t('reports.conversion')}</th>
              </tr>
            </thead>
            <tbody>
              {data.stages.map((s) => (
                <tr key={s.stage}>
                  <Cell label={t('reports.stage')}>{stageName(s.stage, t)}</Cell>
                  <Cell label={t('reports.reached')}>{formatNumber(s.reached, lang)}</Cell>
                  <Cell label={t('reports.count')}>{formatNumber(s.count, lang)}</Cell>
                  <Cell label={t('reports.amount')}>{formatNumber(s.amount, lang)}</Cell>
                  <Cell label={t('reports.conversion')}>
                    {s.conversionRate === undefined ? '–' : formatPercent(s.conversionRate, lang)}
                  </Cell>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
};

export const Reports = () => {
  const { t, session } = useApp();
  // Sales read their own row of the sales report; the funnel is for managers, admins and marketers.
  const seesFunnel = session.roles.some((r) => r === 'admin' || r === 'manager' || r === 'marketer');
  const seesSales = session.roles.some((r) => r === 'admin' || r === 'manager' || r === 'sales');
  // Repeat purchases measure campaigns: the API allows admins and marketers.
  const seesRepeat = session.roles.some((r) => r === 'admin' || r === 'marketer');
  return (
    <>
      <PageHeader title={t('reports.title')} />
      {seesSales && <SalesTable />}
      {seesFunnel && <FunnelView />}
      {seesRepeat && <RepeatPurchasesView />}
    </>
  );
};
