import { awsDependencies } from '../../shared/composition/aws.ts';
import { createHttpHandler, implement } from '../../shared/http/handler.ts';
import { created, etag, ok } from '../../shared/http/request.ts';
import { leadsSpecs as routes } from '../../shared/http/routes/leads.ts';
import type { CrmDependencies } from '../../shared/ports/dependencies.ts';
import { assignLead, claimLead, loseLead, winLead } from '../../shared/use-cases/lead-handover.ts';
import {
  createLead,
  getLead,
  listActivities,
  listLeads,
  recordActivity,
  updateLead,
} from '../../shared/use-cases/leads.ts';

export const leadRoutes = (deps: CrmDependencies) => [
  implement(routes.getSalesSettings, async () => ok(await deps.salesSettings.get())),
  implement(routes.putSalesSettings, async ({ body }) => {
    await deps.salesSettings.put(body);
    return ok(body);
  }),
  implement(routes.createLead, async ({ principal, body }) => {
    const lead = await createLead(deps, principal, body);
    return created(lead, etag(lead.version));
  }),
  implement(routes.listLeads, async ({ principal, query }) => ok(await listLeads(deps, principal, query))),
  implement(routes.getLead, async ({ principal, params }) => {
    const lead = await getLead(deps, principal, params.id);
    return ok(lead, etag(lead.version));
  }),
  implement(routes.updateLead, async ({ principal, params, body, expectedVersion }) => {
    const lead = await updateLead(deps, principal, params.id, body, expectedVersion);
    return ok(lead, etag(lead.version));
  }),
  implement(routes.recordActivity, async ({ principal, params, body, expectedVersion }) =>
    created(await recordActivity(deps, principal, params.id, body, expectedVersion)),
  ),
  implement(routes.listActivities, async ({ principal, params, query }) =>
    ok(await listActivities(deps, principal, params.id, query)),
  ),
  implement(routes.claimLead, async ({ principal, params }) => {
    const lead = await claimLead(deps, principal, params.id);
    return ok(lead, etag(lead.version));
  }),
  implement(routes.assignLead, async ({ principal, params, body }) => {
    const lead = await assignLead(deps, principal, params.id, body.ownerId);
    return ok(lead, etag(lead.version));
  }),
  implement(routes.winLead, async ({ principal, params, body }) => {
    const lead = await winLead(deps, principal, params.id, body);
    return ok(lead, etag(lead.version));
  }),
  implement(routes.loseLead, async ({ principal, params, body }) => {
    const lead = await loseLead(deps, principal, params.id, body.reason);
    return ok(lead, etag(lead.version));
  }),
];

export const handler = createHttpHandler(routes, leadRoutes, awsDependencies());
