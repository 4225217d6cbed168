import type { Campaign } from '../domain/campaign.ts';
import { ValidationError } from '../domain/errors.ts';
import type { ActivateRequest } from '../domain/import.ts';
import { planTouchpoints } from '../domain/touchpoint.ts';
import { logger } from '../observability.ts';
import type { CrmDependencies } from '../ports/dependencies.ts';
import { activateCampaign, getCampaign } from './campaigns.ts';
import { scheduleOf } from './touchpoints.ts';

type BackfillDeps = Pick<
  CrmDependencies,
  'campaigns' | 'customers' | 'purchases' | 'touchpoints' | 'scheduler' | 'clock' | 'bulk'
>;
export interface BackfillPosition {
  shard: number;
  cursor?: string | undefined;
}

const PAGE_SIZE = 25;

/**
 * Plans an active lifecycle campaign's touchpoints for the purchases made since `purchasedSince`, read
 * from the sharded purchases-by-date index a page at a time. Only touchpoints still ahead are
 * planned (planTouchpoints drops past ones); a touchpoint planned already is not counted again, so a
 * page read twice is harmless. When the time runs low it queues the rest on the bulk queue.
 */
export const backfillCampaign = async (
  deps: BackfillDeps,
  task: { campaignId: string; purchasedSince: string; from: BackfillPosition },
  remainingMs: () => number,
  reserveMs: number,
): Promise<{ planned: number; continues: boolean }> => {
  const campaign = await deps.campaigns.get(task.campaignId);
  if (campaign?.kind !== 'lifecycle' || campaign.status !== 'active') return { planned: 0, continues: false };
  const since = new Date(task.purchasedSince).toISOString();
  let planned = 0;
  let pages = 0;
  for (let { shard, cursor } = task.from; shard < deps.purchases.dateShards; ) {
    if (pages > 0 && remainingMs() < reserveMs) {
      await deps.bulk.enqueue([{ type: 'backfill', ...task, from: { shard, cursor } }]);
      logger.info('backfill continues', { campaignId: campaign.id, planned, shard });
      return { planned, continues: true };
    }
    const page = await deps.purchases.since(shard, since, { limit: PAGE_SIZE, cursor });
    const now = deps.clock.now();
    const counts = await Promise.all(
      page.items.map(async (purchase) => {
        const customer = await deps.customers.get(purchase.customerId);
        if (!customer) return 0;
        let added = 0;
        for (const touchpoint of planTouchpoints(campaign, purchase, customer, now)) {
          await deps.scheduler.createOnce(scheduleOf(touchpoint));
          if (await deps.touchpoints.add(touchpoint)) added++;
        }
        return added;
      }),
    );
    planned += counts.reduce((a, b) => a + b, 0);
    pages++;
    cursor = page.nextCursor;
    if (!cursor) shard++;
  }
  logger.info('backfill done', { campaignId: campaign.id, planned });
  return { planned, continues: false };
};

/** How much of its 10 s an activation spends backfilling before it hands the rest to the bulk queue. */
const INLINE_BACKFILL_MS = 4_000;

/**
 * Activation, plus the backfill when asked: as much as fits in a few seconds is planned before the
 * answer (`backfilled`), the rest goes on in the background (`backfillContinues`).
 */
export const activateWithBackfill = async (
  deps: BackfillDeps & Parameters<typeof activateCampaign>[0],
  id: string,
  request: ActivateRequest,
): Promise<Campaign & { backfilled?: number; backfillContinues?: boolean }> => {
  if (request.backfill && (await getCampaign(deps, id)).kind !== 'lifecycle')
    throw ValidationError.field('backfill', 'only a lifecycle campaign plans touchpoints for past purchases');
  const campaign = await activateCampaign(deps, id);
  if (!request.backfill) return campaign;
  const started = Date.now();
  const result = await backfillCampaign(
    deps,
    { campaignId: id, purchasedSince: request.backfill.purchasedSince, from: { shard: 0 } },
    () => INLINE_BACKFILL_MS - (Date.now() - started),
    0,
  );
  return { ...campaign, backfilled: result.planned, backfillContinues: result.continues };
};
