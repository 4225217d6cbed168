import type { AutomationRule, RuleAction, RuleRun } from '../domain/automation-rule.ts';
import type { Customer } from '../domain/customer.ts';
import { matchesPattern } from '../domain/event-pattern.ts';
import type { Opportunity } from '../domain/opportunity.ts';
import { oneLine, renderTemplate } from '../domain/templates.ts';
import {
  type BusEvent,
  type Cause,
  type DomainEventDetail,
  MAX_CAUSE_DEPTH,
} from '../events/domain-event.ts';
import { logger } from '../observability.ts';
import type { CrmDependencies } from '../ports/dependencies.ts';
import { applyPatch } from './customers.ts';
import { routeLead } from './lead-handover.ts';
import type { LeadDeps } from './leads.ts';
import { createOrderForOpportunity } from './orders.ts';
import { stableId } from './stable-id.ts';
import { createTask } from './tasks.ts';

type Deps = Pick<
  CrmDependencies,
  'automationRules' | 'customers' | 'orders' | 'tasks' | 'once' | 'mailer' | 'sms' | 'clock'
> &
  LeadDeps;

type ActionResult = RuleRun['actions'][number];

interface RunContext {
  rule: AutomationRule;
  event: BusEvent;
  cause: Cause;
  index: number;
}

const MAX_WRITE_ATTEMPTS = 3;
const DAY_MS = 24 * 60 * 60 * 1000;

export const ruleMatches = (rule: AutomationRule, eventType: string, detail: DomainEventDetail): boolean =>
  rule.on === eventType &&
  matchesPattern(rule.when as Parameters<typeof matchesPattern>[0], detail.entity) &&
  (!rule.changed || rule.changed.some((field) => detail.changed.includes(field)));

/** Why a matching rule must not fire: it caused this very change, or the chain of automated changes is too long. */
export const loopReason = (rule: AutomationRule, cause: Cause | undefined): string | undefined => {
  if (cause?.ruleId === rule.id) return 'this rule made the change that raised the event';
  if ((cause?.depth ?? 0) >= MAX_CAUSE_DEPTH)
    return `chain of ${cause?.depth} automated changes reached the limit`;
  return undefined;
};

const customerIdOf = (event: BusEvent): string | undefined => {
  const entity = event.detail.entity;
  return event['detail-type'].startsWith('customer.')
    ? String(entity.id)
    : (entity.customerId as string | undefined);
};

/** Changes the event's customer through `change`; writes only when something actually differs. */
const changeCustomer = async (
  deps: Deps,
  context: RunContext,
  change: (customer: Customer) => Customer,
): Promise<Omit<ActionResult, 'type'>> => {
  const id = customerIdOf(context.event);
  if (!id) return { result: 'unchanged', detail: 'the event is not about a customer' };
  for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
    const current = await deps.customers.get(id);
    if (!current) return { result: 'unchanged', detail: `customer ${id} no longer exists` };
    const changed = change(current);
    if (JSON.stringify(changed) === JSON.stringify(current))
      return { result: 'unchanged', detail: `customer ${id}` };
    const next = { ...changed, updatedAt: deps.clock.now().toISOString(), version: current.version + 1 };
    if (await deps.customers.replace(current, next, context.cause))
      return { result: 'done', detail: `customer ${id}` };
  }
  throw new Error(`customer ${id} kept changing; gave up after ${MAX_WRITE_ATTEMPTS} attempts`);
};

const templateContext = async (deps: Deps, event: BusEvent) => {
  const customerId = customerIdOf(event);
  const customer = customerId ? await deps.customers.get(customerId) : undefined;
  return {
    entity: event.detail.entity,
    previous: event.detail.previous,
    changed: event.detail.changed,
    event: event['detail-type'],
    customer,
  };
};

const perform = async (
  deps: Deps,
  action: RuleAction,
  context: RunContext,
): Promise<Omit<ActionResult, 'type'>> => {
  switch (action.type) {
    case 'assign':
      return changeCustomer(deps, context, (customer) => ({ ...customer, ownerId: action.ownerId }));
    case 'set':
      return changeCustomer(deps, context, (customer) =>
        applyPatch(customer, {
          ...action.fields,
          ...(action.fields.attributes
            ? { attributes: { ...customer.attributes, ...action.fields.attributes } }
            : {}),
        }),
      );
    case 'tag':
      return changeCustomer(deps, context, (customer) => {
        const tags = new Set(customer.tags);
        for (const tag of action.add) tags.add(tag);
        for (const tag of action.remove) tags.delete(tag);
        return { ...customer, tags: [...tags] };
      });
    case 'notify': {
      const scope = `notify:${context.rule.id}:${context.event.detail.eventId}:${context.index}`;
      // At most once: a redelivered event finds the claim and does not message staff again.
      if (!(await deps.once.claim(scope, deps.clock.now())))
        return { result: 'unchanged', detail: 'already sent' };
      let sent: { providerMessageId: string };
      try {
        const values = await templateContext(deps, context.event);
        const body = await renderTemplate(action.message, values);
        sent =
          action.channel === 'email'
            ? await deps.mailer.send({
                to: action.to,
                subject: oneLine(await renderTemplate(action.subject ?? `CRM: ${context.rule.name}`, values)),
                body,
              })
            : await deps.sms.send({ to: action.to, body, kind: 'transactional' });
      } catch (error) {
        // Not sent: give the claim back so the redelivered event sends it.
        await deps.once.release(scope);
        throw error;
      }
      return { result: 'done', detail: `${action.channel} to ${action.to} (${sent.providerMessageId})` };
    }
    case 'createTask': {
      const customerId = customerIdOf(context.event);
      if (!customerId) return { result: 'unchanged', detail: 'the event is not about a customer' };
      const customer = await deps.customers.get(customerId);
      const assigneeId = action.assigneeId ?? (action.queue ? undefined : customer?.ownerId);
      const eventTime = context.event.time;
      const now = deps.clock.now().toISOString();
      const { task, created } = await createTask(
        deps,
        {
          id: stableId(eventTime, `task:${context.rule.id}:${context.event.detail.eventId}:${context.index}`),
          type: action.taskType,
          customerId,
          title: await renderTemplate(action.title, await templateContext(deps, context.event)),
          reason: `Automation rule "${context.rule.name}" on ${context.event['detail-type']}`,
          ...(assigneeId ? { assigneeId } : { queue: action.queue ?? 'service' }),
          dueAt: new Date(Date.parse(eventTime) + action.dueInDays * DAY_MS).toISOString(),
          status: 'open',
          createdAt: now,
          updatedAt: now,
          version: 1,
        },
        context.cause,
      );
      return { result: created ? 'done' : 'unchanged', detail: `task ${task.id}` };
    }
    case 'routeLead': {
      if (!context.event['detail-type'].startsWith('lead.'))
        return { result: 'unchanged', detail: 'the event is not about a lead' };
      const leadId = String(context.event.detail.entity.id);
      const to = action.pool !== undefined ? { pool: action.pool } : { ownerId: action.ownerId as string };
      const outcome = await routeLead(deps, leadId, to, context.cause);
      return outcome === 'done'
        ? { result: 'done', detail: `lead ${leadId} to ${'pool' in to ? `pool ${to.pool}` : to.ownerId}` }
        : { result: 'unchanged', detail: outcome };
    }
    case 'createOrder': {
      const opportunity = context.event.detail.entity as unknown as Opportunity;
      const { order, created } = await createOrderForOpportunity(
        deps,
        opportunity,
        action.status,
        context.cause,
      );
      return { result: created ? 'done' : 'unchanged', detail: `order ${order.id}` };
    }
  }
};

/**
 * Evaluates every enabled rule for one domain event and records a run for each rule that matched.
 * Every action is idempotent, so when one fails the whole event is safely retried.
 */
export const runAutomation = async (deps: Deps, event: BusEvent): Promise<RuleRun[]> => {
  const rules = (await deps.automationRules.enabled()).filter((rule) =>
    ruleMatches(rule, event['detail-type'], event.detail),
  );
  const runs: RuleRun[] = [];
  for (const rule of rules) {
    const run: RuleRun = {
      ruleId: rule.id,
      eventId: event.detail.eventId,
      eventType: event['detail-type'],
      entityId: String(event.detail.entity.id),
      at: event.time,
      result: 'applied',
      actions: [],
    };
    const blocked = loopReason(rule, event.detail.cause);
    if (blocked) {
      runs.push({ ...run, result: 'skipped', reason: blocked });
      continue;
    }
    const cause: Cause = {
      ruleId: rule.id,
      eventId: event.detail.eventId,
      depth: (event.detail.cause?.depth ?? 0) + 1,
    };
    for (const [index, action] of rule.do.entries()) {
      try {
        run.actions.push({
          type: action.type,
          ...(await perform(deps, action, { rule, event, cause, index })),
        });
      } catch (error) {
        logger.error('automation action failed', {
          ruleId: rule.id,
          action: action.type,
          error: error as Error,
        });
        run.actions.push({ type: action.type, result: 'failed', detail: (error as Error).message });
      }
    }
    if (run.actions.some((action) => action.result === 'failed')) run.result = 'failed';
    runs.push(run);
  }
  for (const run of runs) await deps.automationRules.recordRun(run);
  const failed = runs.filter((run) => run.result === 'failed');
  if (failed.length > 0)
    throw new Error(`automation failed for rule(s) ${failed.map((run) => run.ruleId).join(', ')}`);
  return runs;
};
