import { withCampaignCache } from '../../shared/adapters/cached-campaigns.ts';
import { awsDependencies } from '../../shared/composition/aws.ts';
import { awsEvents, awsScheduler } from '../../shared/composition/aws-capabilities.ts';
import type { BusEvent } from '../../shared/events/domain-event.ts';
import { createBusEventHandler } from '../../shared/events/handler.ts';
import { CAMPAIGN_REPLAN } from '../../shared/events/routes.ts';
import type { CrmDependencies } from '../../shared/ports/dependencies.ts';
import { planPurchaseTouchpoints, replanCampaign } from '../../shared/use-cases/touchpoints.ts';

/** What, when changed, moves a lifecycle campaign's pending touchpoints. */
const TIMING_FIELDS = ['trigger', 'sendAt', 'sendWindow', 'audience'];

/**
 * purchase.recorded plans touchpoints; campaign.updated (timing) and campaign.deleted re-plan or
 * cancel the campaign's pending ones, continuing through the bus when the invocation's time runs low.
 */
export const planTouchpointsHandler = (makeDeps: () => CrmDependencies) =>
  createBusEventHandler(makeDeps, async (deps, event: BusEvent, remainingMs) => {
    if (event['detail-type'] === 'purchase.recorded') return planPurchaseTouchpoints(deps, event);
    const { detail } = event;
    if (event['detail-type'] === 'campaign.updated' && !detail.changed.some((f) => TIMING_FIELDS.includes(f)))
      return { skipped: 'no timing change' };
    const from = (detail as { from?: { shard: number; cursor?: string } }).from;
    const result = await replanCampaign(deps, String(detail.entity.id), from, remainingMs);
    if (result.next) {
      await deps.events.publish([
        {
          type: CAMPAIGN_REPLAN,
          time: deps.clock.now().toISOString(),
          detail: {
            eventId: `${detail.eventId}:${result.next.shard}:${result.next.cursor ?? ''}`,
            entity: { id: detail.entity.id, kind: 'lifecycle' },
            changed: [],
            from: result.next,
          } as BusEvent['detail'],
        },
      ]);
    }
    return result;
  });

/** A newly activated lifecycle campaign plans for purchases within this long in AWS. */
export const CAMPAIGN_CACHE_MS = 30_000;

export const handler = planTouchpointsHandler(() => {
  const deps = awsDependencies({ scheduler: awsScheduler, events: awsEvents })();
  return { ...deps, campaigns: withCampaignCache(deps.campaigns, deps.clock, CAMPAIGN_CACHE_MS) };
});
