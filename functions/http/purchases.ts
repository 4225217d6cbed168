import { awsDependencies } from '../../shared/composition/aws.ts';
import { createHttpHandler, implement } from '../../shared/http/handler.ts';
import { created, ok } from '../../shared/http/request.ts';
import { purchasesSpecs as routes } from '../../shared/http/routes/purchases.ts';
import type { CrmDependencies } from '../../shared/ports/dependencies.ts';
import { listCustomerPurchases, recordPurchase } from '../../shared/use-cases/purchases.ts';

export const purchaseRoutes = (deps: CrmDependencies) => [
  implement(routes.recordPurchase, async ({ principal, body }) =>
    created(await recordPurchase(deps, principal, body)),
  ),
  implement(routes.listCustomerPurchases, async ({ principal, params, query }) =>
    ok(await listCustomerPurchases(deps, principal, params.id, query)),
  ),
];

export const handler = createHttpHandler(routes, purchaseRoutes, awsDependencies());
