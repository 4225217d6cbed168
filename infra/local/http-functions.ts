import { automationRoutes } from '../../functions/http/automation.ts';
import { campaignRoutes } from '../../functions/http/campaigns.ts';
import { customerRoutes } from '../../functions/http/customers.ts';
import { docsRoutes } from '../../functions/http/docs.ts';
import { importRoutes } from '../../functions/http/imports.ts';
import { leadRoutes } from '../../functions/http/leads.ts';
import { pipelineRoutes } from '../../functions/http/pipeline.ts';
import { productRoutes } from '../../functions/http/products.ts';
import { purchaseRoutes } from '../../functions/http/purchases.ts';
import { reportRoutes } from '../../functions/http/reports.ts';
import { satisfactionRoutes } from '../../functions/http/satisfaction.ts';
import { smsInboundAliyunRoutes } from '../../functions/http/sms-inbound-aliyun.ts';
import { suppressionRoutes } from '../../functions/http/suppressions.ts';
import { taskRoutes } from '../../functions/http/tasks.ts';
import { unsubscribeRoutes } from '../../functions/http/unsubscribe.ts';
import { createHttpHandler, type RouteImplementation } from '../../shared/http/handler.ts';
import type { HttpEvent, HttpResponse } from '../../shared/http/request.ts';
import type { FunctionGroup } from '../../shared/http/route-spec.ts';
import { allRoutes } from '../../shared/http/routes/index.ts';
import type { CrmDependencies } from '../../shared/ports/dependencies.ts';
import { lambdaContext } from './lambda-event.ts';

export type Invoke = (event: HttpEvent) => Promise<HttpResponse>;

const implementations: Record<FunctionGroup, (deps: CrmDependencies) => RouteImplementation[]> = {
  customers: customerRoutes,
  products: productRoutes,
  purchases: purchaseRoutes,
  pipeline: pipelineRoutes,
  tasks: taskRoutes,
  automation: automationRoutes,
  campaigns: campaignRoutes,
  unsubscribe: unsubscribeRoutes,
  satisfaction: satisfactionRoutes,
  suppressions: suppressionRoutes,
  'sms-inbound-aliyun': smsInboundAliyunRoutes,
  docs: docsRoutes,
  leads: leadRoutes,
  reports: reportRoutes,
  imports: importRoutes,
};

/** The same handlers Lambda runs, each wired to the local composition root instead of the AWS one. */
export const localHttpFunctions = (deps: CrmDependencies): Record<FunctionGroup, Invoke> =>
  Object.fromEntries(
    Object.entries(implementations).map(([group, routes]) => {
      const specs = Object.fromEntries(
        allRoutes.filter((r) => r.group === group).map((r) => [r.operationId, r]),
      );
      const handler = createHttpHandler(specs, routes, () => deps);
      const invoke: Invoke = (event) =>
        handler(event, lambdaContext(`crm-${group}`)) as Promise<HttpResponse>;
      return [group, invoke];
    }),
  ) as Record<FunctionGroup, Invoke>;
