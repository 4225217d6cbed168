import { useState } from 'preact/hooks';
import { type Page, query } from '../api.ts';
import { Chart } from '../chart.tsx';
import { useApp } from '../context.ts';
import { formatDateTime, formatDecimal, formatNumber, formatPercent } from '../format.ts';
import type { Campaign, SatisfactionRecord, SummaryRow } from '../types.ts';
import { Badge, Cell, Loading, PageHeader, Problem, useLoad } from '../ui.tsx';

type GroupBy = 'sku' | 'campaign';

const Records = ({ groupBy, keyValue, label }: { groupBy: GroupBy; keyValue: string; label: string }) => {
  const { api, t, lang } = useApp();
  const { data, error, loading } = useLoad(
    () =>
      api<Page<SatisfactionRecord>>(
        'GET',
        `/satisfaction${query({ [groupBy === 'sku' ? 'sku' : 'campaignId']: keyValue, limit: 100 })}`,
      ),
    [groupBy, keyValue],
  );
  return (
    <section aria-labelledby="records">
      <h2 id="records">{t('satisfaction.recordsFor', { key: label })}</h2>
      <Problem error={error} />
      {loading && !data && <Loading />}
      {data && data.items.length === 0 && <p class="muted">{t('satisfaction.noRecords')}</p>}
      {data && data.items.length > 0 && (
        <table class="list">
          <thead>
            <tr>
              <th scope="col">{t('satisfaction.score')}</th>
              <th scope="col">{t('satisfaction.reply')}</th>
              <th scope="col">{t('tasks.customer')}</th>
              <th scope="col">{t('satisfaction.sku')}</th>
              <th scope="col">{t('satisfaction.received')}</th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((r) => (
              <tr key={r.id}>
                <Cell label={t('satisfaction.score')}>
                  <Badge value={r.score} text={t(`score.${r.score}` as 'score.satisfied')} />
                </Cell>
                <Cell label={t('satisfaction.reply')}>{r.comment ?? r.rawReply ?? ''}</Cell>
                <Cell label={t('tasks.customer')}>
                  <a href={`#/customers/${r.customerId}`}>{r.customerId}</a>
                </Cell>
                <Cell label={t('satisfaction.sku')}>{r.sku}</Cell>
                <Cell label={t('satisfaction.received')}>{formatDateTime(r.receivedAt, lang)}</Cell>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
};

export const Satisfaction = () => {
  const { api, t, lang } = useApp();
  const [groupBy, setGroupBy] = useState<GroupBy>('sku');
  const [selected, setSelected] = useState<string>();
  const { data, error, loading } = useLoad(async () => {
    const [summary, campaigns] = await Promise.all([
      api<Page<SummaryRow>>('GET', `/satisfaction/summary?groupBy=${groupBy}`),
      groupBy === 'campaign'
        ? api<Page<Campaign>>('GET', '/campaigns?limit=100').catch(() => ({ items: [] as Campaign[] }))
        : Promise.resolve({ items: [] as Campaign[] }),
    ]);
    const names = new Map(campaigns.items.map((c) => [c.id, c.name]));
    return summary.items.map((row) => ({ ...row, label: names.get(row.key) ?? row.key }));
  }, [groupBy]);
  const chosen = data?.find((r) => r.key === selected);
  // Columns of the newer scales appear once some row carries them.
  const has = {
    neutral: Boolean(data?.some((r) => r.neutral)),
    averageRating: Boolean(data?.some((r) => r.averageRating !== undefined)),
    nps: Boolean(data?.some((r) => r.nps !== undefined)),
  };
  return (
    <>
      <PageHeader title={t('satisfaction.title')} />
      <div role="tablist" aria-label={t('satisfaction.groupBy')} class="tabs">
        {(['sku', 'campaign'] as const).map((g) => (
          <button
            key={g}
            type="button"
            role="tab"
            aria-selected={groupBy === g}
            onClick={() => {
              setGroupBy(g);
              setSelected(undefined);
            }}
          >
            {t(`satisfaction.by.${g}`)}
          </button>
        ))}
      </div>
      <Problem error={error} />
      {loading && !data && <Loading />}
      {data && data.length === 0 && <p>{t('satisfaction.empty')}</p>}
      {data && data.length > 0 && (
        <>
          <div class="charts">
            <Chart
              kind="bars"
              yMax={100}
              title={t('satisfaction.rateChart')}
              x={data.map((r) => r.label)}
              series={[
                {
                  label: t('satisfaction.rate'),
                  values: data.map((r) => r.satisfactionRate * 100),
                  color: '#16a34a',
                },
              ]}
              summary={data.map((r) => `${r.label} ${formatPercent(r.satisfactionRate, lang)}`).join(', ')}
            />
            <Chart
              kind="bars"
              yMax={100}
              title={t('satisfaction.responseChart')}
              x={data.map((r) => r.label)}
              series={[
                {
                  label: t('satisfaction.responseRate'),
                  values: data.map((r) => r.responseRate * 100),
                  color: '#2563eb',
                },
              ]}
              summary={data.map((r) => `${r.label} ${formatPercent(r.responseRate, lang)}`).join(', ')}
            />
          </div>
          <table class="list">
            <thead>
              <tr>
                <th scope="col">{t(`satisfaction.by.${groupBy}`)}</th>
                <th scope="col">{t('stats.surveys')}</th>
                <th scope="col">{t('stats.replies')}</th>
                <th scope="col">{t('stats.satisfied')}</th>
                <th scope="col">{t('stats.unsatisfied')}</th>
                {has.neutral && <th scope="col">{t('satisfaction.neutral')}</th>}
                <th scope="col">{t('satisfaction.responseRate')}</th>
                <th scope="col">{t('satisfaction.rate')}</th>
                {has.averageRating && <th scope="col">{t('satisfaction.averageRating')}</th>}
                {has.nps && <th scope="col">{t('satisfaction.nps')}</th>}
              </tr>
            </thead>
            <tbody>
              {data.map((r) => (
                <tr key={r.key} class={r.key === selected ? 'selected' : ''}>
                  <Cell label={t(`satisfaction.by.${groupBy}`)}>
                    <button
                      type="button"
                      class="link"
                      aria-pressed={r.key === selected}
                      onClick={() => setSelected(r.key)}
                    >
                      {r.label}
                    </button>
                  </Cell>
                  <Cell label={t('stats.surveys')}>{formatNumber(r.surveys, lang)}</Cell>
                  <Cell label={t('stats.replies')}>{formatNumber(r.replies, lang)}</Cell>
                  <Cell label={t('stats.satisfied')}>{formatNumber(r.satisfied, lang)}</Cell>
                  <Cell label={t('stats.unsatisfied')}>{formatNumber(r.unsatisfied, lang)}</Cell>
                  {has.neutral && (
                    <Cell label={t('satisfaction.neutral')}>{formatNumber(r.neutral ?? 0, lang)}</Cell>
                  )}
                  <Cell label={t('satisfaction.responseRate')}>{formatPercent(r.responseRate, lang)}</Cell>
                  <Cell label={t('satisfaction.rate')}>{formatPercent(r.satisfactionRate, lang)}</Cell>
                  {has.averageRating && (
                    <Cell label={t('satisfaction.averageRating')}>
                      {r.averageRating === undefined ? '–' : formatDecimal(r.averageRating, lang)}
                    </Cell>
                  )}
                  {has.nps && (
                    <Cell label={t('satisfaction.nps')}>
                      {r.nps === undefined ? '–' : formatDecimal(r.nps, lang)}
                    </Cell>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
          {chosen ? (
            <Records groupBy={groupBy} keyValue={chosen.key} label={chosen.label} />
          ) : (
            <p class="muted">{t('satisfaction.pick')}</p>
          )}
        </>
      )}
    </>
  );
};
