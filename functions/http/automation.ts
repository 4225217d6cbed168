import { awsDependencies } from '../../shared/composition/aws.ts';
import { createHttpHandler, implement } from '../../shared/http/handler.ts';
import { created, etag, noContent, ok } from '../../shared/http/request.ts';
import { automationSpecs as routes } from '../../shared/http/routes/automation.ts';
import type { CrmDependencies } from '../../shared/ports/dependencies.ts';
import {
  createRule,
  deleteRule,
  getRule,
  listRuleRuns,
  listRules,
  updateRule,
} from '../../shared/use-cases/automation-rules.ts';

export const automationRoutes = (deps: CrmDependencies) => [
  implement(routes.createRule, async ({ body }) => {
    const rule = await createRule(deps, body);
    return created(rule, { ...etag(rule.version), location: `/automation-rules/${rule.id}` });
  }),
  implement(routes.listRules, async ({ query }) => ok(await listRules(deps, query))),
  implement(routes.getRule, async ({ params }) => {
    const rule = await getRule(deps, params.id);
    return ok(rule, etag(rule.version));
  }),
  implement(routes.updateRule, async ({ params, body, expectedVersion }) => {
    const rule = await updateRule(deps, params.id, body, expectedVersion);
    return ok(rule, etag(rule.version));
  }),
  implement(routes.deleteRule, async ({ params }) => {
    await deleteRule(deps, params.id);
    return noContent();
  }),
  implement(routes.listRuleRuns, async ({ params, query }) => ok(await listRuleRuns(deps, params.id, query))),
];

export const handler = createHttpHandler(routes, automationRoutes, awsDependencies());
