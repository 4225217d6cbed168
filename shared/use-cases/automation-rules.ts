import {
  type AutomationRule,
  type AutomationRuleInput,
  type AutomationRulePatch,
  ruleIssues,
} from '../domain/automation-rule.ts';
import type { Page } from '../domain/common.ts';
import { NotFoundError, ValidationError } from '../domain/errors.ts';
import type { CrmDependencies } from '../ports/dependencies.ts';
import type { PageRequest } from '../ports/repositories.ts';
import { mergePatch } from './merge-patch.ts';
import { updateVersioned } from './versioned-update.ts';

type Deps = Pick<CrmDependencies, 'automationRules' | 'clock' | 'ids'>;

export const createRule = async (deps: Deps, input: AutomationRuleInput): Promise<AutomationRule> => {
  const now = deps.clock.now().toISOString();
  const rule: AutomationRule = { ...input, id: deps.ids.next(), createdAt: now, updatedAt: now, version: 1 };
  await deps.automationRules.create(rule);
  return rule;
};

export const getRule = async (deps: Pick<Deps, 'automationRules'>, id: string): Promise<AutomationRule> => {
  const rule = await deps.automationRules.get(id);
  if (!rule) throw new NotFoundError(`Automation rule ${id}`);
  return rule;
};

export const updateRule = (
  deps: Deps,
  id: string,
  patch: AutomationRulePatch,
  expectedVersion: number | undefined,
): Promise<AutomationRule> =>
  updateVersioned({
    load: () => getRule(deps, id),
    change: (current) => {
      const next = mergePatch(current, patch);
      // A patch is checked against the rule it makes, e.g. `on: customer.created` under a createOrder action.
      const issues = ruleIssues(next);
      if (issues.length > 0) {
        const errors = issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
        throw new ValidationError(errors, errors.map((e) => `${e.path}: ${e.message}`).join('; '));
      }
      return next;
    },
    save: (current, next) => deps.automationRules.replace(current, next),
    expectedVersion,
    now: () => deps.clock.now().toISOString(),
  });

export const deleteRule = async (deps: Deps, id: string): Promise<void> => {
  await getRule(deps, id);
  await deps.automationRules.delete(id);
};

export const listRules = (
  deps: Pick<Deps, 'automationRules'>,
  page: PageRequest,
): Promise<Page<AutomationRule>> => deps.automationRules.list(page);

export const listRuleRuns = async (deps: Pick<Deps, 'automationRules'>, id: string, page: PageRequest) => {
  await getRule(deps, id);
  return deps.automationRules.runs(id, page);
};
