import type { AutomationRule } from '../domain/automation-rule.ts';
import type { Clock } from '../ports/clock.ts';
import type { AutomationRuleRepository } from '../ports/repositories.ts';

/**
 * Rules are read at most once per `ttlMs` per function instance, not once per event. Writes made
 * through this same instance invalidate it at once; writes elsewhere show after at most `ttlMs`.
 */
export const withRuleCache = (
  repository: AutomationRuleRepository,
  clock: Clock,
  ttlMs: number,
): AutomationRuleRepository => {
  let cached: { rules: Promise<AutomationRule[]>; at: number } | undefined;
  const invalidate = <T>(result: T) => {
    cached = undefined;
    return result;
  };
  return {
    ...repository,
    enabled() {
      const now = clock.now().getTime();
      if (!cached || now - cached.at >= ttlMs) {
        const rules = repository.enabled();
        cached = { rules, at: now };
        rules.catch(() => invalidate(undefined));
      }
      return cached.rules;
    },
    create: async (rule, cause) => invalidate(await repository.create(rule, cause)),
    replace: async (previous, next, cause) => invalidate(await repository.replace(previous, next, cause)),
    delete: async (id) => invalidate(await repository.delete(id)),
  };
};
