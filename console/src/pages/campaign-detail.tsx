import { Fragment } from 'preact';
import { lazy, Suspense } from 'preact/compat';
import { useState } from 'preact/hooks';
import type { Page } from '../api.ts';
import { useApp } from '../context.ts';
import { formatDateTime, formatNumber, formatPercent } from '../format.ts';
import { surveyScaleOf } from '../survey.ts';
import type { Campaign, CampaignStats, Goal, Message, SentMessage } from '../types.ts';
import { Badge, Cell, Field, Loading, PageHeader, Problem, useLoad } from '../ui.tsx';
import { CampaignReport } from './campaign-report.tsx';

const Chart = lazy(() => import('../chart.tsx').then((m) => m.Chart));

const counters = [
  'scheduled',
  'sent',
  'suppressed',
  'failed',
  'surveys',
  'replies',
  'satisfied',
  'unsatisfied',
] as const;

/** Messages per day (by the viewer's calendar), for the chart over time. */
const perDay = (messages: SentMessage[]) => {
  const days = new Map<number, { sent: number; other: number }>();
  for (const m of messages) {
    const d = new Date(m.sentAt);
    const day = new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime() / 1000;
    const entry = days.get(day) ?? { sent: 0, other: 0 };
    if (m.status === 'sent') entry.sent++;
    else entry.other++;
    days.set(day, entry);
  }
  const x = [...days.keys()].sort((a, b) => a - b);
  return { x, sent: x.map((d) => days.get(d)?.sent ?? 0), other: x.map((d) => days.get(d)?.other ?? 0) };
};

const messageStatuses = ['deferred', 'sent', 'suppressed', 'failed', 'holdout'] as const;
export const messageStatus = (status: string, t: ReturnType<typeof useApp>['t']) =>
  (messageStatuses as readonly string[]).includes(status)
    ? t(`messageStatus.${status as (typeof messageStatuses)[number]}`)
    : status;

const messageText = (m: Message) => (m.subject ? `${m.subject}\n\n${m.body}` : m.body);

const describeGoal = (goal: Goal, t: ReturnType<typeof useApp>['t']) => {
  const p = goal.purchase ?? {};
  const what = p.sameCategory
    ? t('effect.goal.sameCategory')
    : p.skus?.length
      ? `${t('effect.goal.skus')}: ${p.skus.join(', ')}`
      : p.categories?.length
        ? `${t('effect.goal.categories')}: ${p.categories.join(', ')}`
        : t('effect.goal.any');
  return t('detail.goalWithin', { what, n: goal.withinDays });
};

const describeTrigger = (c: Campaign, t: ReturnType<typeof useApp>['t']) => {
  if (c.kind === 'broadcast') {
    const s = c.schedule;
    if (!s) return '';
    return 'at' in s
      ? t('detail.onceAt', { at: s.at })
      : t('detail.cronIn', { cron: s.cron, zone: s.timezone });
  }
  const timing = c.trigger?.timing;
  if (!timing) return '';
  return 'afterPurchaseDays' in timing
    ? t('detail.afterPurchase', { n: timing.afterPurchaseDays })
    : t('detail.beforeLifespanEnd', { n: timing.beforeLifespanEndDays });
};

export const CampaignDetail = ({ id }: { id: string }) => {
  const { api, t, lang } = useApp();
  const [actionError, setActionError] = useState<unknown>();
  const { data, error, loading, reload } = useLoad(async () => {
    const [campaign, stats, messages] = await Promise.all([
      api<Campaign>('GET', `/campaigns/${id}`),
      api<CampaignStats>('GET', `/campaigns/${id}/stats`),
      api<Page<SentMessage>>('GET', `/messages?campaignId=${id}&limit=100`),
    ]);
    return { campaign, stats, messages: messages.items };
  }, [id]);
  const [since, setSince] = useState('');
  const [backfilled, setBackfilled] = useState<{ n: number; continues: boolean }>();
  const [view, setView] = useState<'overview' | 'report'>('overview');
  const act = async (action: 'activate' | 'pause') => {
    setActionError(undefined);
    setBackfilled(undefined);
    try {
      // The date is the viewer's midnight; the API plans only touchpoints still in the future.
      const body =
        action === 'activate' && since
          ? { backfill: { purchasedSince: new Date(`${since}T00:00:00`).toISOString() } }
          : undefined;
      const answer = await api<{ backfilled?: number; backfillContinues?: boolean }>(
        'POST',
        `/campaigns/${id}/${action}`,
        body ? { body } : {},
      );
      if (answer?.backfilled !== undefined)
        setBackfilled({ n: answer.backfilled, continues: answer.backfillContinues === true });
      reload();
    } catch (e) {
      setActionError(e);
    }
  };
  if (error) return <Problem error={error} />;
  if (loading && !data) return <Loading />;
  if (!data) return null;
  const { campaign: c, stats, messages } = data;
  return (
    <>
      <PageHeader title={c.name}>
        <a class="button" href={`#/campaigns/${id}/edit`}>
          {t('common.edit')}
        </a>
        {c.status !== 'active' && (
          <form
            class="activate"
            onSubmit={(e) => {
              e.preventDefault();
              act('activate');
            }}
          >
            {c.kind === 'lifecycle' && (
              <Field label={t('detail.backfillSince')} hint={t('detail.backfillHint')}>
                {(fid, hint) => (
                  <input
                    id={fid}
                    type="date"
                    aria-describedby={hint}
                    value={since}
                    onInput={(e) => setSince((e.target as HTMLInputElement).value)}
                  />
                )}
              </Field>
            )}
            <button type="submit" class="primary">
              {t('detail.activate')}
            </button>
          </form>
        )}
        {c.status === 'active' && (
          <button type="button" onClick={() => act('pause')}>
            {t('detail.pause')}
          </button>
        )}
      </PageHeader>
      <Problem error={actionError} />
      {backfilled !== undefined && (
        <p class="notice" role="status">
          {t(backfilled.continues ? 'detail.backfillContinues' : 'detail.backfilled', {
            n: formatNumber(backfilled.n, lang),
          })}
        </p>
      )}
      <div role="tablist" aria-label={t('report.views')} class="tabs">
        {(['overview', 'report'] as const).map((v) => (
          <button key={v} type="button" role="tab" aria-selected={view === v} onClick={() => setView(v)}>
            {t(`report.view.${v}`)}
          </button>
        ))}
      </div>
      {view === 'report' ? (
        <CampaignReport id={id} />
      ) : (
        <Overview campaign={c} stats={stats} messages={messages} />
      )}
    </>
  );
};

const Overview = ({
  campaign: c,
  stats,
  messages,
}: {
  campaign: Campaign;
  stats: CampaignStats;
  messages: SentMessage[];
}) => {
  const { t, lang } = useApp();
  const series = perDay(messages);
  const hasVariants = messages.some((m) => m.variant);
  return (
    <>
      <dl class="facts">
        <dt>{t('campaigns.status')}</dt>
        <dd>
          <Badge value={c.status} text={t(`status.${c.status}`)} />
        </dd>
        <dt>{t('campaigns.kind')}</dt>
        <dd>
          {t(`kind.${c.kind}`)} · {t(`channel.${c.channel}`)}
          {c.survey
            ? ` · ${t('campaigns.survey')} (${t(`survey.${surveyScaleOf(c.survey) ?? 'binary'}`)})`
            : ''}
        </dd>
        <dt>{t('editor.trigger')}</dt>
        <dd>{describeTrigger(c, t)}</dd>
        <dt>{t('editor.sendAt')}</dt>
        <dd>{t('detail.sendTimes', { at: c.sendAt, start: c.sendWindow.start, end: c.sendWindow.end })}</dd>
        {c.trigger?.products && (
          <>
            <dt>{t('detail.products')}</dt>
            <dd>
              {[...(c.trigger.products.skus ?? []), ...(c.trigger.products.categories ?? [])].join(', ')}
            </dd>
          </>
        )}
        {c.audience && (
          <>
            <dt>{t('editor.audience')}</dt>
            <dd>
              <code>{JSON.stringify(c.audience)}</code>
            </dd>
          </>
        )}
        {c.holdoutPercent ? (
          <>
            <dt>{t('effect.holdout')}</dt>
            <dd>{formatPercent(c.holdoutPercent / 100, lang)}</dd>
          </>
        ) : null}
        {c.goal && (
          <>
            <dt>{t('effect.goal')}</dt>
            <dd>{describeGoal(c.goal, t)}</dd>
          </>
        )}
        {c.message && (
          <>
            <dt>{t('editor.message')}</dt>
            <dd>
              <pre class="message">{messageText(c.message)}</pre>
            </dd>
          </>
        )}
        {c.variants?.map((v) => (
          <Fragment key={v.name}>
            <dt>{t('detail.variantWeight', { name: v.name, weight: v.weight })}</dt>
            <dd>
              <pre class="message">{messageText(v.message)}</pre>
            </dd>
          </Fragment>
        ))}
      </dl>

      <h2>{t('detail.stats')}</h2>
      <ul class="stats">
        {counters.map((k) => (
          <li key={k}>
            <span class="value">{formatNumber(stats[k], lang)}</span>
            <span class="label">{t(`stats.${k}`)}</span>
          </li>
        ))}
      </ul>
      <div class="charts">
        <Suspense fallback={<Loading />}>
          <Chart
            kind="bars"
            title={t('detail.outcomes')}
            x={counters.map((k) => t(`stats.${k}`))}
            series={[{ label: t('detail.count'), values: counters.map((k) => stats[k]), color: '#2563eb' }]}
            summary={counters.map((k) => `${t(`stats.${k}`)} ${stats[k]}`).join(', ')}
          />
          {series.x.length > 0 && (
            <Chart
              kind="time"
              xLabel={t('detail.day')}
              title={t('detail.overTime')}
              x={series.x}
              series={[
                { label: t('stats.sent'), values: series.sent, color: '#16a34a' },
                { label: t('detail.notSent'), values: series.other, color: '#dc2626' },
              ]}
              summary={t('detail.overTimeSummary', { days: series.x.length })}
            />
          )}
        </Suspense>
      </div>

      <h2>{t('detail.messages')}</h2>
      {messages.length === 0 ? (
        <p class="muted">{t('detail.noMessages')}</p>
      ) : (
        <table class="list">
          <thead>
            <tr>
              <th scope="col">{t('detail.to')}</th>
              <th scope="col">{t('campaigns.status')}</th>
              {hasVariants && <th scope="col">{t('report.variant')}</th>}
              <th scope="col">{t('detail.when')}</th>
              <th scope="col">{t('detail.body')}</th>
            </tr>
          </thead>
          <tbody>
            {messages.map((m) => (
              <tr key={m.id}>
                <Cell label={t('detail.to')}>
                  <a href={`#/customers/${m.customerId}`}>{m.to ?? m.customerId}</a>
                </Cell>
                <Cell label={t('campaigns.status')}>
                  <Badge value={m.status} text={messageStatus(m.status, t)} />
                  {m.reason ? ` (${m.reason})` : ''}
                </Cell>
                {hasVariants && <Cell label={t('report.variant')}>{m.variant}</Cell>}
                <Cell label={t('detail.when')}>
                  {formatDateTime(m.status === 'deferred' ? m.deferredUntil : m.sentAt, lang)}
                </Cell>
                <Cell label={t('detail.body')}>
                  {m.body ?? (m.status === 'holdout' ? t('detail.heldOutNote') : '')}
                </Cell>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
};
