import { awsDependencies } from '../../shared/composition/aws.ts';
import { awsBulk, awsScheduler } from '../../shared/composition/aws-capabilities.ts';
import { createHttpHandler, implement } from '../../shared/http/handler.ts';
import { created, etag, noContent, ok } from '../../shared/http/request.ts';
import { campaignsSpecs as routes } from '../../shared/http/routes/campaigns.ts';
import type { CrmDependencies } from '../../shared/ports/dependencies.ts';
import { activateWithBackfill } from '../../shared/use-cases/backfill.ts';
import {
  campaignStats,
  createCampaign,
  deleteCampaign,
  getCampaign,
  listCampaigns,
  pauseCampaign,
  updateCampaign,
} from '../../shared/use-cases/campaigns.ts';
import { campaignReport } from '../../shared/use-cases/record-conversions.ts';

export const campaignRoutes = (deps: CrmDependencies) => [
  implement(routes.createCampaign, async ({ body }) => {
    const campaign = await createCampaign(deps, body);
    return created(campaign, { ...etag(campaign.version), location: `/campaigns/${campaign.id}` });
  }),
  implement(routes.listCampaigns, async ({ query }) => ok(await listCampaigns(deps, query))),
  implement(routes.getCampaign, async ({ params }) => {
    const campaign = await getCampaign(deps, params.id);
    return ok(campaign, etag(campaign.version));
  }),
  implement(routes.updateCampaign, async ({ params, body, expectedVersion }) => {
    const campaign = await updateCampaign(deps, params.id, body, expectedVersion);
    return ok(campaign, etag(campaign.version));
  }),
  implement(routes.deleteCampaign, async ({ params }) => {
    await deleteCampaign(deps, params.id);
    return noContent();
  }),
  implement(routes.activateCampaign, async ({ params, body }) =>
    ok(await activateWithBackfill(deps, params.id, body)),
  ),
  implement(routes.pauseCampaign, async ({ params }) => ok(await pauseCampaign(deps, params.id))),
  implement(routes.campaignStats, async ({ params }) => ok(await campaignStats(deps, params.id))),
  implement(routes.campaignReport, async ({ params, query }) =>
    ok(await campaignReport(deps, params.id, query.interval)),
  ),
  implement(routes.listMessages, async ({ query }) =>
    ok(await deps.messages.list({ customerId: query.customerId, campaignId: query.campaignId }, query)),
  ),
];

export const handler = createHttpHandler(
  routes,
  campaignRoutes,
  awsDependencies({ scheduler: awsScheduler, bulk: awsBulk }),
);
