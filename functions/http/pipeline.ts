import { awsDependencies } from '../../shared/composition/aws.ts';
import { createHttpHandler, implement } from '../../shared/http/handler.ts';
import { created, etag, ok } from '../../shared/http/request.ts';
import { pipelineSpecs as routes } from '../../shared/http/routes/pipeline.ts';
import type { CrmDependencies } from '../../shared/ports/dependencies.ts';
import {
  createOpportunity,
  getOpportunity,
  listOpportunities,
  updateOpportunity,
} from '../../shared/use-cases/opportunities.ts';
import { getOrder, listOrders, updateOrderStatus } from '../../shared/use-cases/orders.ts';

export const pipelineRoutes = (deps: CrmDependencies) => [
  implement(routes.createOpportunity, async ({ principal, body }) => {
    const opportunity = await createOpportunity(deps, principal, body);
    return created(opportunity, etag(opportunity.version));
  }),
  implement(routes.listOpportunities, async ({ principal, query }) =>
    ok(await listOpportunities(deps, principal, query)),
  ),
  implement(routes.getOpportunity, async ({ principal, params }) => {
    const opportunity = await getOpportunity(deps, principal, params.id);
    return ok(opportunity, etag(opportunity.version));
  }),
  implement(routes.updateOpportunity, async ({ principal, params, body, expectedVersion }) => {
    const opportunity = await updateOpportunity(deps, principal, params.id, body, expectedVersion);
    return ok(opportunity, etag(opportunity.version));
  }),
  implement(routes.listOrders, async ({ principal, query }) => ok(await listOrders(deps, principal, query))),
  implement(routes.getOrder, async ({ principal, params }) => {
    const order = await getOrder(deps, principal, params.id);
    return ok(order, etag(order.version));
  }),
  implement(routes.updateOrder, async ({ principal, params, body, expectedVersion }) => {
    const order = await updateOrderStatus(deps, principal, params.id, body.status, expectedVersion);
    return ok(order, etag(order.version));
  }),
];

export const handler = createHttpHandler(routes, pipelineRoutes, awsDependencies());
