import * as z from 'zod';
import { Id, UtcTimestamp, Version } from './common.ts';
import { CustomerPatch } from './customer.ts';
import { patternErrors } from './event-pattern.ts';
import { orderStatuses } from './order.ts';
import { templateError } from './templates.ts';

const Tag = z.string().min(1).max(64);
const Template = z
  .string()
  .min(1)
  .max(5000)
  .superRefine(async (source, ctx) => {
    const error = await templateError(source);
    if (error) ctx.addIssue({ code: 'custom', message: `is not a valid template: ${error}` });
  });

export const RuleAction = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('assign'), ownerId: z.string().min(1).max(128) }),
  z.strictObject({
    type: z.literal('set'),
    fields: CustomerPatch.pick({
      tier: true,
      region: true,
      industry: true,
      attributes: true,
      locale: true,
    }).refine((fields) => Object.keys(fields).length > 0, 'must set at least one field'),
  }),
  z.strictObject({
    type: z.literal('tag'),
    add: z.array(Tag).max(20).default([]),
    remove: z.array(Tag).max(20).default([]),
  }),
  z.strictObject({
    type: z.literal('notify'),
    channel: z.enum(['email', 'sms']),
    /** A staff email address or E.164 phone number. */
    to: z.string().min(3).max(254),
    subject: Template.optional(),
    message: Template,
  }),
  z.strictObject({
    type: z.literal('createTask'),
    title: Template,
    taskType: z.string().min(1).max(64).default('follow-up'),
    dueInDays: z.number().int().min(0).max(365).default(1),
    assigneeId: z.string().min(1).max(128).optional(),
    queue: z.string().min(1).max(64).optional(),
  }),
  z.strictObject({ type: z.literal('createOrder'), status: z.enum(orderStatuses).default('pending') }),
  /** Routes the event's lead to a pool (one of the sales settings' pools) or an owner: give one of the two. */
  z.strictObject({
    type: z.literal('routeLead'),
    pool: z.string().min(1).max(64).optional(),
    ownerId: z.string().min(1).max(128).optional(),
  }),
]);
export type RuleAction = z.infer<typeof RuleAction>;

/** The domain events the stream publishes (shared/events/stream-mapping.ts); a rule on any other never fires. */
export const ruleEvents = [
  'customer.created',
  'customer.updated',
  'customer.deleted',
  'purchase.recorded',
  'opportunity.created',
  'opportunity.updated',
  'order.created',
  'order.updated',
  'task.created',
  'task.updated',
  'lead.created',
  'lead.updated',
  'lead.graded',
  'lead.reassigned',
  'lead.won',
  'lead.lost',
] as const;
const EventName = z.enum(ruleEvents, { error: `must be one of ${ruleEvents.join(', ')}` });

const Pattern = z.record(z.string(), z.unknown()).superRefine((pattern, ctx) => {
  for (const error of patternErrors(pattern)) {
    ctx.addIssue({ code: 'custom', message: error.message, path: error.path ? error.path.split('.') : [] });
  }
});

const ruleFields = {
  name: z.string().trim().min(1).max(200),
  on: EventName,
  /** An EventBridge content filter over the entity the event is about. */
  when: Pattern.default({}),
  /** Optional: fire only when one of these fields changed (updates). */
  changed: z.array(z.string().min(1)).max(20).optional(),
  do: z.array(RuleAction).min(1).max(10),
  enabled: z.boolean().default(true),
};

/** Problems that tie `on` and `do` together; checked on create and again on the patched whole. */
export const ruleIssues = (rule: { on?: string | undefined; do?: RuleAction[] | undefined }) => {
  const issues: { path: (string | number)[]; message: string }[] = [];
  rule.do?.forEach((action, i) => {
    if (action.type === 'createOrder' && rule.on && !rule.on.startsWith('opportunity.')) {
      issues.push({ path: ['do', i, 'type'], message: 'createOrder needs an opportunity event' });
    }
    if (action.type === 'routeLead') {
      if (rule.on && !rule.on.startsWith('lead.'))
        issues.push({ path: ['do', i, 'type'], message: 'routeLead needs a lead event' });
      if ((action.pool === undefined) === (action.ownerId === undefined))
        issues.push({ path: ['do', i, 'pool'], message: 'give exactly one of pool or ownerId' });
    }
    if (action.type === 'notify') {
      const valid =
        action.channel === 'email'
          ? z.email().safeParse(action.to).success
          : /^\+[1-9]\d{6,14}$/.test(action.to);
      if (!valid)
        issues.push({
          path: ['do', i, 'to'],
          message: `must be an ${action.channel === 'email' ? 'email address' : 'E.164 phone number'}`,
        });
    }
  });
  return issues;
};

const checkActionsFitEvent = (rule: { on?: string; do?: RuleAction[] }, ctx: z.RefinementCtx) => {
  for (const issue of ruleIssues(rule)) ctx.addIssue({ code: 'custom', ...issue });
};

export const AutomationRuleInput = z
  .strictObject(ruleFields)
  .superRefine(checkActionsFitEvent)
  .meta({ id: 'AutomationRuleInput' });
export type AutomationRuleInput = z.infer<typeof AutomationRuleInput>;

export const AutomationRulePatch = z
  .strictObject({
    name: ruleFields.name.optional(),
    on: EventName.optional(),
    when: Pattern.optional(),
    changed: ruleFields.changed.nullable(),
    do: ruleFields.do.optional(),
    enabled: z.boolean().optional(),
  })
  .superRefine((patch, ctx) => checkActionsFitEvent({ on: patch.on, do: patch.do }, ctx))
  .meta({ id: 'AutomationRulePatch' });
export type AutomationRulePatch = z.infer<typeof AutomationRulePatch>;

export const AutomationRule = z
  .object({ ...ruleFields, id: Id, createdAt: UtcTimestamp, updatedAt: UtcTimestamp, version: Version })
  .meta({ id: 'AutomationRule' });
export type AutomationRule = z.infer<typeof AutomationRule>;

export const RuleRun = z
  .object({
    ruleId: Id,
    eventId: z.string(),
    eventType: z.string(),
    entityId: z.string(),
    at: UtcTimestamp,
    result: z.enum(['applied', 'skipped', 'failed']),
    reason: z.string().optional(),
    actions: z.array(
      z.object({
        type: z.string(),
        result: z.enum(['done', 'unchanged', 'failed']),
        detail: z.string().optional(),
      }),
    ),
  })
  .meta({ id: 'RuleRun' });
export type RuleRun = z.infer<typeof RuleRun>;
