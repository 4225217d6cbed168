import { withCampaignCache } from '../../shared/adapters/cached-campaigns.ts';
import { awsDependencies } from '../../shared/composition/aws.ts';
import { awsScheduler } from '../../shared/composition/aws-capabilities.ts';
import type { BusEvent } from '../../shared/events/domain-event.ts';
import { createBusEventHandler } from '../../shared/events/handler.ts';
import type { CrmDependencies } from '../../shared/ports/dependencies.ts';
import { planPurchaseTouchpoints } from '../../shared/use-cases/touchpoints.ts';

export const planTouchpointsHandler = (makeDeps: () => CrmDependencies) =>
  createBusEventHandler(makeDeps, (deps, event: BusEvent) => planPurchaseTouchpoints(deps, event));

/** A newly activated lifecycle campaign plans for purchases within this long in AWS. */
export const CAMPAIGN_CACHE_MS = 30_000;

export const handler = planTouchpointsHandler(() => {
  const deps = awsDependencies({ scheduler: awsScheduler })();
  return { ...deps, campaigns: withCampaignCache(deps.campaigns, deps.clock, CAMPAIGN_CACHE_MS) };
});
