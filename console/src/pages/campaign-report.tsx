import { lazy, Suspense } from 'preact/compat';
import { useState } from 'preact/hooks';
import { useApp } from '../context.ts';
import { formatNumber, formatPercent, formatPoints } from '../format.ts';
import type { CampaignReport as Report } from '../types.ts';
import { Cell, Field, Loading, Problem, useLoad } from '../ui.tsx';

const Chart = lazy(() => import('../chart.tsx').then((m) => m.Chart));

const Uplift = ({ confidence }: { confidence: Report['confidence'] }) => {
  const { t, lang } = useApp();
  if (!confidence) return null;
  const { level, upliftLow: low, upliftHigh: high } = confidence;
  return (
    <p class="uplift" data-testid="report-confidence">
      {low !== null && high !== null
        ? `${t('report.interval', {
            level: formatPercent(level, lang),
            low: formatPoints(low, lang),
            high: formatPoints(high, lang),
          })} `
        : ''}
      {confidence.enoughData
        ? t(confidence.significant ? 'report.significant' : 'report.notSignificant')
        : t('report.tooFewN', { n: formatNumber(confidence.minimumPerGroup, lang) })}
    </p>
  );
};

/** `GET /campaigns/{id}/report`: totals against the holdout, per variant, and over time. */
export const CampaignReport = ({ id }: { id: string }) => {
  const { api, t, lang } = useApp();
  const [interval, setPeriod] = useState<'day' | 'week'>('day');
  const { data, error, loading } = useLoad(
    () => api<Report>('GET', `/campaigns/${id}/report?interval=${interval}`),
    [id, interval],
  );
  const totals = data?.totals;
  const figures: [string, string, string][] = totals
    ? [
        ['sent', t('report.sent'), formatNumber(totals.sent, lang)],
        ['holdout', t('report.holdout'), formatNumber(totals.holdout, lang)],
        ['conversions', t('report.conversions'), formatNumber(totals.conversions, lang)],
        ['conversionRate', t('report.conversionRate'), formatPercent(totals.conversionRate, lang)],
        ['holdoutConversions', t('report.holdoutConversions'), formatNumber(totals.holdoutConversions, lang)],
        [
          'holdoutConversionRate',
          t('report.holdoutConversionRate'),
          formatPercent(totals.holdoutConversionRate, lang),
        ],
        ['revenue', t('report.revenue'), formatNumber(totals.revenue, lang)],
        ...(totals.holdoutRevenue === undefined
          ? []
          : [
              ['holdoutRevenue', t('report.holdoutRevenue'), formatNumber(totals.holdoutRevenue, lang)] as [
                string,
                string,
                string,
              ],
            ]),
        ['uplift', t('report.uplift'), t('report.points', { n: formatPoints(totals.uplift, lang) })],
      ]
    : [];
  return (
    <section aria-labelledby="report-title">
      <h2 id="report-title">{t('report.title')}</h2>
      <Problem error={error} />
      {loading && !data && <Loading />}
      {data && totals && (
        <>
          <ul class="stats">
            {figures.map(([key, label, value]) => (
              <li key={key} data-testid={`report-${key}`}>
                <span class="value">{value}</span>
                <span class="label">{label}</span>
              </li>
            ))}
          </ul>
          <p class="muted">{t('report.upliftMeans')}</p>
          <Uplift confidence={data.confidence} />

          <h3 id="report-variants">{t('report.variants')}</h3>
          {data.variants.length === 0 ? (
            <p class="muted">{t('report.noVariants')}</p>
          ) : (
            <table class="list" aria-labelledby="report-variants">
              <thead>
                <tr>
                  <th scope="col">{t('report.variant')}</th>
                  <th scope="col">{t('report.sent')}</th>
                  <th scope="col">{t('report.conversions')}</th>
                  <th scope="col">{t('report.conversionRate')}</th>
                  <th scope="col">{t('stats.replies')}</th>
                  <th scope="col">{t('stats.satisfied')}</th>
                </tr>
              </thead>
              <tbody>
                {data.variants.map((v) => (
                  <tr key={v.name}>
                    <Cell label={t('report.variant')}>{v.name}</Cell>
                    <Cell label={t('report.sent')}>{formatNumber(v.sent, lang)}</Cell>
                    <Cell label={t('report.conversions')}>{formatNumber(v.conversions, lang)}</Cell>
                    <Cell label={t('report.conversionRate')}>{formatPercent(v.conversionRate, lang)}</Cell>
                    <Cell label={t('stats.replies')}>{formatNumber(v.replies, lang)}</Cell>
                    <Cell label={t('stats.satisfied')}>{formatNumber(v.satisfied, lang)}</Cell>
                  </tr>
                ))}
              </tbody>
            </table>
          )}

          <h3>{t('report.overTime')}</h3>
          <form class="filters" aria-label={t('report.overTime')} onSubmit={(e) => e.preventDefault()}>
            <Field label={t('report.interval.label')}>
              {(fid) => (
                <select
                  id={fid}
                  value={interval}
                  onChange={(e) => setPeriod((e.target as HTMLSelectElement).value as 'day' | 'week')}
                >
                  <option value="day">{t('reports.day')}</option>
                  <option value="week">{t('reports.week')}</option>
                </select>
              )}
            </Field>
          </form>
          {data.series.length === 0 ? (
            <p class="muted">{t('report.noSeries')}</p>
          ) : (
            <div class="charts">
              <Suspense fallback={<Loading />}>
                <Chart
                  kind="time"
                  // The answer's interval, not the picker's: the old series stays up while the new one loads.
                  xLabel={data.interval === 'day' ? t('reports.day') : t('reports.week')}
                  title={t(data.interval === 'day' ? 'report.perDay' : 'report.perWeek')}
                  // A report day is a calendar date; placed at the viewer's midnight so the axis shows that date.
                  x={data.series.map((p) => new Date(`${p.start}T00:00:00`).getTime() / 1000)}
                  xTick={(seconds) =>
                    new Intl.DateTimeFormat(lang, { month: 'short', day: 'numeric' }).format(seconds * 1000)
                  }
                  series={[
                    { label: t('report.sent'), values: data.series.map((p) => p.sent), color: '#2563eb' },
                    {
                      label: t('stats.replies'),
                      values: data.series.map((p) => p.replies),
                      color: '#d97706',
                    },
                    {
                      label: t('report.conversions'),
                      values: data.series.map((p) => p.conversions),
                      color: '#16a34a',
                    },
                  ]}
                  summary={t('report.seriesSummary', {
                    n: data.series.length,
                    sent: data.series.reduce((sum, p) => sum + p.sent, 0),
                    conversions: data.series.reduce((sum, p) => sum + p.conversions, 0),
                  })}
                />
              </Suspense>
            </div>
          )}
        </>
      )}
    </section>
  );
};
