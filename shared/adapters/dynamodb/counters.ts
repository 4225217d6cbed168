import type { CampaignCounter } from '../../domain/campaign.ts';
import { keys } from './keys.ts';

/** An UpdateItem that ADDs to the campaign's counters; used alone or inside a transaction. */
export const counterUpdate = (
  tableName: string,
  campaignId: string,
  counters: Partial<Record<CampaignCounter, number>>,
) => {
  const entries = Object.entries(counters).filter(([, n]) => n);
  return {
    TableName: tableName,
    Key: keys.campaignStats(campaignId),
    UpdateExpression: `ADD ${entries.map((_, i) => `#c${i} :c${i}`).join(', ')}`,
    ExpressionAttributeNames: Object.fromEntries(entries.map(([name], i) => [`#c${i}`, name])),
    ExpressionAttributeValues: Object.fromEntries(entries.map(([, n], i) => [`:c${i}`, n])),
  };
};

/** An UpdateItem that ADDs to a satisfaction summary row (by sku or by campaign). */
export const summaryUpdate = (
  tableName: string,
  groupBy: 'sku' | 'campaign',
  key: string,
  counters: Record<string, number>,
) => ({
  TableName: tableName,
  Key: keys.summary(groupBy, key),
  UpdateExpression: `ADD ${Object.keys(counters)
    .map((_name, i) => `#c${i} :c${i}`)
    .join(', ')}`,
  ExpressionAttributeNames: Object.fromEntries(Object.keys(counters).map((name, i) => [`#c${i}`, name])),
  ExpressionAttributeValues: Object.fromEntries(Object.values(counters).map((n, i) => [`:c${i}`, n])),
});
