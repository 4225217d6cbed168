import { withRuleCache } from '../../shared/adapters/cached-rules.ts';
import { awsDependencies } from '../../shared/composition/aws.ts';
import { awsEmail, awsSms } from '../../shared/composition/aws-capabilities.ts';
import type { BusEvent } from '../../shared/events/domain-event.ts';
import { createBusEventHandler } from '../../shared/events/handler.ts';
import type { CrmDependencies } from '../../shared/ports/dependencies.ts';
import { runAutomation } from '../../shared/use-cases/run-automation.ts';

/** A new or changed rule takes effect within this long in AWS. */
export const RULE_CACHE_MS = 30_000;

export const runAutomationHandler = (makeDeps: () => CrmDependencies) =>
  createBusEventHandler(makeDeps, (deps, event: BusEvent) => runAutomation(deps, event));

export const handler = runAutomationHandler(() => {
  const deps = awsDependencies({ email: awsEmail, sms: awsSms })();
  return { ...deps, automationRules: withRuleCache(deps.automationRules, deps.clock, RULE_CACHE_MS) };
});
