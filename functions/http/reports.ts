import { awsDependencies } from '../../shared/composition/aws.ts';
import { createHttpHandler, implement } from '../../shared/http/handler.ts';
import { ok } from '../../shared/http/request.ts';
import { reportsSpecs as routes } from '../../shared/http/routes/reports.ts';
import type { CrmDependencies } from '../../shared/ports/dependencies.ts';
import { repeatPurchasesReport } from '../../shared/use-cases/repeat-purchases.ts';
import { funnelReport, leadSourcesReport, salesReport } from '../../shared/use-cases/sales-reports.ts';

export const reportRoutes = (deps: CrmDependencies) => [
  implement(routes.salesReport, async ({ principal, query }) =>
    ok(await salesReport(deps, principal, query)),
  ),
  implement(routes.funnelReport, async ({ query }) => ok(await funnelReport(deps, query))),
  implement(routes.leadSourcesReport, async ({ query }) => ok(await leadSourcesReport(deps, query))),
  implement(routes.repeatPurchasesReport, async ({ query }) => ok(await repeatPurchasesReport(deps, query))),
];

export const handler = createHttpHandler(routes, reportRoutes, awsDependencies());
