import type { Page } from '../api.ts';
import { useApp } from '../context.ts';
import { formatDateTime, formatNumber, formatPercent } from '../format.ts';
import type { Campaign, CampaignStats } from '../types.ts';
import { Badge, Cell, Loading, PageHeader, Problem, useLoad } from '../ui.tsx';

type Row = Campaign & { stats?: CampaignStats };

export const Campaigns = () => {
  const { api, t, lang } = useApp();
  const { data, error, loading } = useLoad(async () => {
    const page = await api<Page<Campaign>>('GET', '/campaigns?limit=100');
    // Headline numbers per campaign; a failed stats read leaves its cells empty rather than the page.
    return Promise.all(
      page.items.map(async (c): Promise<Row> => {
        const stats = await api<CampaignStats>('GET', `/campaigns/${c.id}/stats`).catch(() => undefined);
        return stats ? { ...c, stats } : c;
      }),
    );
  }, []);
  return (
    <>
      <PageHeader title={t('campaigns.title')}>
        <a class="button primary" href="#/campaigns/new">
          {t('campaigns.new')}
        </a>
      </PageHeader>
      <Problem error={error} />
      {loading && !data && <Loading />}
      {data && data.length === 0 && <p>{t('campaigns.empty')}</p>}
      {data && data.length > 0 && (
        <table class="list">
          <thead>
            <tr>
              <th scope="col">{t('campaigns.name')}</th>
              <th scope="col">{t('campaigns.kind')}</th>
              <th scope="col">{t('campaigns.status')}</th>
              <th scope="col">{t('stats.scheduled')}</th>
              <th scope="col">{t('stats.sent')}</th>
              <th scope="col">{t('stats.replies')}</th>
              <th scope="col">{t('satisfaction.rate')}</th>
              <th scope="col">{t('common.updated')}</th>
            </tr>
          </thead>
          <tbody>
            {data.map((c) => (
              <tr key={c.id}>
                <Cell label={t('campaigns.name')}>
                  <a href={`#/campaigns/${c.id}`}>{c.name}</a>
                </Cell>
                <Cell label={t('campaigns.kind')}>
                  {t(`kind.${c.kind}`)} · {t(`channel.${c.channel}`)}
                  {c.survey ? ` · ${t('campaigns.survey')}` : ''}
                </Cell>
                <Cell label={t('campaigns.status')}>
                  <Badge value={c.status} text={t(`status.${c.status}`)} />
                </Cell>
                <Cell label={t('stats.scheduled')}>{c.stats && formatNumber(c.stats.scheduled, lang)}</Cell>
                <Cell label={t('stats.sent')}>{c.stats && formatNumber(c.stats.sent, lang)}</Cell>
                <Cell label={t('stats.replies')}>{c.stats && formatNumber(c.stats.replies, lang)}</Cell>
                <Cell label={t('satisfaction.rate')}>
                  {c.stats?.replies ? formatPercent(c.stats.satisfied / c.stats.replies, lang) : '–'}
                </Cell>
                <Cell label={t('common.updated')}>{formatDateTime(c.updatedAt, lang)}</Cell>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
};
