import type { RouteSpec } from '../route-spec.ts';
import { automationSpecs } from './automation.ts';
import { campaignsSpecs } from './campaigns.ts';
import { customersSpecs } from './customers.ts';
import { docsSpecs } from './docs.ts';
import { importsSpecs } from './imports.ts';
import { leadsSpecs } from './leads.ts';
import { pipelineSpecs } from './pipeline.ts';
import { productsSpecs } from './products.ts';
import { purchasesSpecs } from './purchases.ts';
import { reportsSpecs } from './reports.ts';
import { satisfactionSpecs } from './satisfaction.ts';
import { smsInboundAliyunSpecs } from './sms-inbound-aliyun.ts';
import { suppressionsSpecs } from './suppressions.ts';
import { tasksSpecs } from './tasks.ts';
import { unsubscribeSpecs } from './unsubscribe.ts';

/** Every HTTP route, declared once per function group: the handlers, the CDK stack, the local runtime and OpenAPI all read these. */
export const routes = {
  ...customersSpecs,
  ...productsSpecs,
  ...purchasesSpecs,
  ...pipelineSpecs,
  ...tasksSpecs,
  ...automationSpecs,
  ...campaignsSpecs,
  ...unsubscribeSpecs,
  ...satisfactionSpecs,
  ...leadsSpecs,
  ...reportsSpecs,
  ...suppressionsSpecs,
  ...smsInboundAliyunSpecs,
  ...docsSpecs,
  ...importsSpecs,
};

export const allRoutes: RouteSpec[] = Object.values(routes);
