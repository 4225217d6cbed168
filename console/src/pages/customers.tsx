import { useState } from 'preact/hooks';
import { type Page, query } from '../api.ts';
import { useApp } from '../context.ts';
import { formatDateTime, formatNumber } from '../format.ts';
import type { Customer, TimelineEntry } from '../types.ts';
import { Badge, Cell, Field, Loading, PageHeader, Problem, useLoad } from '../ui.tsx';
import { messageStatus } from './campaign-detail.tsx';
import { CustomerSuppressions } from './customer-suppressions.tsx';

export const Customers = () => {
  const { api, t, lang } = useApp();
  const [filters, setFilters] = useState({ ownerId: '', tag: '' });
  const [applied, setApplied] = useState(filters);
  const [search, setSearch] = useState('');
  const [pages, setPages] = useState<Customer[][]>([]);
  const [cursor, setCursor] = useState<string>();
  const first = useLoad(async () => {
    const page = await api<Page<Customer>>('GET', `/customers${query({ ...applied, limit: 50 })}`);
    setPages([page.items]);
    setCursor(page.nextCursor);
    return page;
  }, [applied.ownerId, applied.tag]);
  const more = async () => {
    const page = await api<Page<Customer>>('GET', `/customers${query({ ...applied, limit: 50, cursor })}`);
    setPages((p) => [...p, page.items]);
    setCursor(page.nextCursor);
  };
  const needle = search.trim().toLowerCase();
  const rows = pages
    .flat()
    .filter(
      (c) =>
        !needle ||
        [c.name, c.email, c.phone, c.region, ...(c.tags ?? [])].some((v) =>
          v?.toLowerCase().includes(needle),
        ),
    );
  return (
    <>
      <PageHeader title={t('customers.title')} />
      <form
        class="filters"
        aria-label={t('customers.search')}
        onSubmit={(e) => {
          e.preventDefault();
          setApplied(filters);
        }}
      >
        <Field label={t('customers.search')} hint={t('customers.searchHint')}>
          {(id, hint) => (
            <input
              id={id}
              type="search"
              aria-describedby={hint}
              value={search}
              onInput={(e) => setSearch((e.target as HTMLInputElement).value)}
            />
          )}
        </Field>
        <Field label={t('customers.owner')}>
          {(id) => (
            <input
              id={id}
              value={filters.ownerId}
              onInput={(e) => setFilters({ ...filters, ownerId: (e.target as HTMLInputElement).value })}
            />
          )}
        </Field>
        <Field label={t('customers.tag')}>
          {(id) => (
            <input
              id={id}
              value={filters.tag}
              onInput={(e) => setFilters({ ...filters, tag: (e.target as HTMLInputElement).value })}
            />
          )}
        </Field>
        <button type="submit">{t('common.filter')}</button>
      </form>
      <Problem error={first.error} />
      {first.loading && !first.data && <Loading />}
      {first.data && rows.length === 0 && <p>{t('customers.empty')}</p>}
      {rows.length > 0 && (
        <table class="list">
          <thead>
            <tr>
              <th scope="col">{t('customers.name')}</th>
              <th scope="col">{t('customers.phone')}</th>
              <th scope="col">{t('customers.email')}</th>
              <th scope="col">{t('customers.region')}</th>
              <th scope="col">{t('customers.owner')}</th>
              <th scope="col">{t('customers.totalSales')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((c) => (
              <tr key={c.id}>
                <Cell label={t('customers.name')}>
                  <a href={`#/customers/${c.id}`}>{c.name}</a>
                </Cell>
                <Cell label={t('customers.phone')}>{c.phone}</Cell>
                <Cell label={t('customers.email')}>{c.email}</Cell>
                <Cell label={t('customers.region')}>{c.region}</Cell>
                <Cell label={t('customers.owner')}>{c.ownerId}</Cell>
                <Cell label={t('customers.totalSales')}>
                  {c.totalSales !== undefined ? formatNumber(c.totalSales, lang) : ''}
                </Cell>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {cursor && (
        <button type="button" onClick={more}>
          {t('common.more')}
        </button>
      )}
    </>
  );
};

const scores = ['satisfied', 'neutral', 'unsatisfied'] as const;
const scoreText = (score: string, t: ReturnType<typeof useApp>['t']) =>
  (scores as readonly string[]).includes(score) ? t(`score.${score as (typeof scores)[number]}`) : score;

const describeEntry = (entry: TimelineEntry, t: ReturnType<typeof useApp>['t']) => {
  const d = entry.data as Record<string, unknown>;
  const text = (key: string) =>
    typeof d[key] === 'string' || typeof d[key] === 'number' ? String(d[key]) : '';
  switch (entry.type) {
    case 'purchase': {
      const items = (d.items as { sku: string; quantity?: number }[] | undefined) ?? [];
      return `${items.map((i) => `${i.sku} × ${i.quantity ?? 1}`).join(', ')} · ${text('total')}`;
    }
    case 'message':
      return `${t(`channel.${text('channel') === 'email' ? 'email' : 'sms'}`)} · ${messageStatus(text('status'), t)}${
        d.reason ? ` (${text('reason')})` : ''
      }: ${text('subject') || text('body')}`;
    case 'satisfaction':
      return `${scoreText(text('score'), t)}${d.rating !== undefined ? ` (${text('rating')})` : ''}${
        d.comment ? ` – ${text('comment')}` : ''
      }`;
    case 'task': {
      const status = text('status');
      const label =
        status === 'open' || status === 'done' || status === 'cancelled' ? t(`taskStatus.${status}`) : status;
      return `${label}: ${text('title')}${d.outcome ? ` – ${text('outcome')}` : ''}`;
    }
    default:
      return text('type') || text('reason');
  }
};

export const CustomerPage = ({ id }: { id: string }) => {
  const { api, t, lang } = useApp();
  const { data, error, loading } = useLoad(async () => {
    const [customer, timeline] = await Promise.all([
      api<Customer>('GET', `/customers/${id}`),
      api<Page<TimelineEntry>>('GET', `/customers/${id}/timeline?limit=100`),
    ]);
    return { customer, timeline: timeline.items };
  }, [id]);
  if (error) return <Problem error={error} />;
  if (loading && !data) return <Loading />;
  if (!data) return null;
  const { customer: c, timeline } = data;
  const yes = (v: boolean) => (v ? t('common.yes') : t('common.no'));
  return (
    <>
      <PageHeader title={c.name} />
      <div class="two-col">
        <section class="card" aria-labelledby="profile">
          <h2 id="profile">{t('customer.profile')}</h2>
          <dl class="facts">
            <dt>{t('customers.phone')}</dt>
            <dd>{c.phone ?? '–'}</dd>
            <dt>{t('customers.email')}</dt>
            <dd>{c.email ?? '–'}</dd>
            <dt>{t('customer.timezone')}</dt>
            <dd>{c.timezone}</dd>
            <dt>{t('customer.locale')}</dt>
            <dd>{c.locale ?? '–'}</dd>
            <dt>{t('customers.region')}</dt>
            <dd>{c.region ?? '–'}</dd>
            <dt>{t('customer.industry')}</dt>
            <dd>{c.industry ?? '–'}</dd>
            <dt>{t('customer.interests')}</dt>
            <dd>{c.interests.join(', ') || '–'}</dd>
            <dt>{t('customers.tag')}</dt>
            <dd>{c.tags.join(', ') || '–'}</dd>
            <dt>{t('customers.owner')}</dt>
            <dd>{c.ownerId ?? '–'}</dd>
            <dt>{t('customer.tier')}</dt>
            <dd>{c.tier ?? '–'}</dd>
            <dt>{t('customers.totalSales')}</dt>
            <dd>{c.totalSales !== undefined ? formatNumber(c.totalSales, lang) : '–'}</dd>
            <dt>{t('customer.since')}</dt>
            <dd>{formatDateTime(c.createdAt, lang)}</dd>
          </dl>
        </section>
        <section class="card" aria-labelledby="consent">
          <h2 id="consent">{t('customer.consent')}</h2>
          <dl class="facts">
            <dt>{t('channel.sms')}</dt>
            <dd>{yes(c.consent.sms)}</dd>
            <dt>{t('channel.email')}</dt>
            <dd>{yes(c.consent.email)}</dd>
          </dl>
          <CustomerSuppressions customer={c} />
        </section>
      </div>
      <h2>{t('customer.timeline')}</h2>
      {timeline.length === 0 ? (
        <p class="muted">{t('customer.noTimeline')}</p>
      ) : (
        <ol class="timeline">
          {timeline.map((entry) => (
            <li key={`${entry.type}${entry.id}`}>
              <Badge value={entry.type} text={t(`timeline.${entry.type}`)} />
              <time dateTime={entry.at}>
                {formatDateTime(entry.at, lang)}
                {entry.type === 'message' && ` (${formatDateTime(entry.at, lang, c.timezone)})`}
              </time>
              <p>{describeEntry(entry, t)}</p>
            </li>
          ))}
        </ol>
      )}
    </>
  );
};
