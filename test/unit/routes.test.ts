import { describe, expect, it } from 'vitest';
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
import { routeKey } from '../../shared/http/route-spec.ts';
import { allRoutes } from '../../shared/http/routes/index.ts';
import type { CrmDependencies } from '../../shared/ports/dependencies.ts';

describe('route table', () => {
  it('has exactly one implementation per declared route, in the declared function', () => {
    const deps = {} as CrmDependencies;
    const groups = {
      customers: customerRoutes(deps),
      products: productRoutes(deps),
      purchases: purchaseRoutes(deps),
      pipeline: pipelineRoutes(deps),
      tasks: taskRoutes(deps),
      automation: automationRoutes(deps),
      campaigns: campaignRoutes(deps),
      unsubscribe: unsubscribeRoutes(deps),
      satisfaction: satisfactionRoutes(deps),
      suppressions: suppressionRoutes(deps),
      'sms-inbound-aliyun': smsInboundAliyunRoutes(deps),
      docs: docsRoutes(),
      leads: leadRoutes(deps),
      reports: reportRoutes(deps),
      imports: importRoutes(deps),
    };
    const implemented = Object.values(groups).flat();
    expect(implemented.map((impl) => routeKey(impl.spec)).sort()).toEqual(allRoutes.map(routeKey).sort());
    for (const [group, impls] of Object.entries(groups)) {
      for (const impl of impls) expect(impl.spec.group).toBe(group);
    }
  });
});
