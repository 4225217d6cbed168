import * as z from 'zod';
import { Id, ListQuery, OffsetTimestamp, Sku, TimeZone, UtcTimestamp, Version } from './common.ts';
import { cronError } from './cron.ts';
import { patternErrors } from './event-pattern.ts';
import { SurveySetting } from './survey.ts';
import { templateError } from './templates.ts';

const Clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a local time HH:mm, e.g. 10:00');

const Template = z
  .string()
  .min(1)
  .max(10_000)
  .superRefine(async (source, ctx) => {
    const error = await templateError(source);
    if (error) ctx.addIssue({ code: 'custom', message: `is not a valid template: ${error}` });
  });

const Message = z.strictObject({
  subject: Template.optional(),
  body: Template,
  /** Interest → advice; `{{interestAdvice}}` renders the blocks for the customer's own interests. */
  byInterest: z.record(z.string().min(1).max(64), Template).optional(),
});
export type MessageTemplate = z.infer<typeof Message>;

/** One version of the message; each customer gets one variant, picked by weight with a stable hash. */
const Variant = z.strictObject({
  name: z.string().trim().min(1).max(64),
  weight: z.number().int().positive().max(10_000),
  message: Message,
});
export type Variant = z.infer<typeof Variant>;

const Variants = z
  .array(Variant)
  .min(2, 'give at least two variants (or one message)')
  .max(10)
  .superRefine((variants, ctx) => {
    const seen = new Set<string>();
    variants.forEach((variant, index) => {
      if (seen.has(variant.name))
        ctx.addIssue({ code: 'custom', message: 'variant names must be unique', path: [index, 'name'] });
      seen.add(variant.name);
    });
  });

/**
 * Which purchase counts as a conversion: the same category as the product the message was about,
 * given skus or categories, or (`{}`) any purchase; within `withinDays` after the message.
 */
const GoalPurchase = z.union([
  z.strictObject({ sameCategory: z.literal(true) }),
  z.strictObject({ skus: z.array(Sku).min(1).max(100) }),
  z.strictObject({ categories: z.array(z.string().min(1).max(64)).min(1).max(100) }),
  z.strictObject({}),
]);
const Goal = z.strictObject({
  purchase: GoalPurchase,
  withinDays: z.number().int().min(1).max(365),
});
export type Goal = z.infer<typeof Goal>;

/** Percent of customers kept as a control group (recorded as `holdout`, never sent). */
const HoldoutPercent = z.number().int().min(0).max(50);

const Timing = z.union([
  z.strictObject({ afterPurchaseDays: z.number().int().min(0).max(3650) }),
  z.strictObject({ beforeLifespanEndDays: z.number().int().min(0).max(3650) }),
]);

const Trigger = z.strictObject({
  products: z
    .strictObject({
      skus: z.array(Sku).max(100).optional(),
      categories: z.array(z.string().min(1)).max(100).optional(),
    })
    .optional(),
  timing: Timing,
});

const Schedule = z.union([
  z.strictObject({ at: OffsetTimestamp }),
  z.strictObject({
    cron: z.string().superRefine((expression, ctx) => {
      const error = cronError(expression);
      if (error) ctx.addIssue({ code: 'custom', message: `is not a valid cron expression: ${error}` });
    }),
    timezone: TimeZone,
  }),
]);

const Audience = z.record(z.string(), z.unknown()).superRefine((pattern, ctx) => {
  for (const error of patternErrors(pattern)) {
    ctx.addIssue({ code: 'custom', message: error.message, path: error.path ? error.path.split('.') : [] });
  }
});

const SendWindow = z
  .strictObject({ start: Clock, end: Clock })
  .refine((w) => w.start < w.end, { message: 'start must be before end', path: ['end'] });

const fields = {
  name: z.string().trim().min(1).max(200),
  kind: z.enum(['lifecycle', 'broadcast']),
  channel: z.enum(['email', 'sms']),
  /** true: the 1/2 question; { scale: 'csat5' | 'nps' | 'binary' } for another question. */
  survey: SurveySetting.default(false),
  trigger: Trigger.optional(),
  schedule: Schedule.optional(),
  audience: Audience.optional(),
  sendAt: Clock.default('10:00'),
  sendWindow: SendWindow.default({ start: '09:00', end: '20:00' }),
  /** Exactly one of `message` and `variants`. */
  message: Message.optional(),
  variants: Variants.optional(),
  holdoutPercent: HoldoutPercent.default(0),
  goal: Goal.optional(),
};

type Shape = {
  kind?: string;
  channel?: string;
  survey?: SurveySetting;
  trigger?: unknown;
  schedule?: { at?: string } | { cron: string };
  message?: { subject?: string | undefined } | undefined;
  variants?: { message: { subject?: string | undefined } }[] | undefined;
  goal?: { purchase: object } | undefined;
};

/** Rules that tie fields together; `now` is for "a broadcast at must not be in the past". */
export const campaignIssues = (campaign: Shape, now: Date) => {
  const issues: { path: (string | number)[]; message: string }[] = [];
  if (campaign.survey && campaign.channel !== 'sms')
    issues.push({ path: ['survey'], message: 'a survey needs channel "sms"' });
  if (campaign.kind === 'lifecycle') {
    if (!campaign.trigger)
      issues.push({ path: ['trigger'], message: 'a lifecycle campaign needs a trigger' });
    if (campaign.schedule)
      issues.push({
        path: ['schedule'],
        message: 'a lifecycle campaign is triggered by purchases, not scheduled',
      });
  }
  if (campaign.kind === 'broadcast') {
    if (!campaign.schedule)
      issues.push({ path: ['schedule'], message: 'a broadcast needs a schedule (at or cron)' });
    if (campaign.trigger)
      issues.push({ path: ['trigger'], message: 'a broadcast has a schedule, not a trigger' });
    if (
      campaign.schedule &&
      'at' in campaign.schedule &&
      campaign.schedule.at &&
      Date.parse(campaign.schedule.at) <= now.getTime()
    ) {
      issues.push({ path: ['schedule', 'at'], message: 'must be in the future' });
    }
  }
  if (campaign.message && campaign.variants)
    issues.push({ path: ['variants'], message: 'give either message or variants, not both' });
  if (!campaign.message && !campaign.variants)
    issues.push({ path: ['message'], message: 'a campaign needs a message (or variants)' });
  if (campaign.channel === 'email') {
    if (campaign.message && !campaign.message.subject)
      issues.push({ path: ['message', 'subject'], message: 'an email needs a subject' });
    campaign.variants?.forEach((variant, index) => {
      if (!variant.message.subject)
        issues.push({ path: ['variants', index, 'message', 'subject'], message: 'an email needs a subject' });
    });
  }
  if (campaign.kind === 'broadcast' && campaign.goal && 'sameCategory' in campaign.goal.purchase) {
    issues.push({
      path: ['goal', 'purchase', 'sameCategory'],
      message: 'a broadcast is not about a product; name skus or categories, or {} for any purchase',
    });
  }
  return issues;
};

export const CampaignInput = z.strictObject(fields).meta({ id: 'CampaignInput' });
export type CampaignInput = z.infer<typeof CampaignInput>;

export const CampaignPatch = z
  .strictObject({
    name: fields.name.optional(),
    trigger: Trigger.optional(),
    schedule: Schedule.optional(),
    audience: Audience.nullable().optional(),
    sendAt: Clock.optional(),
    sendWindow: SendWindow.optional(),
    /** null clears it, e.g. `{ variants: [...], message: null }` switches to variants. */
    message: Message.nullable().optional(),
    variants: Variants.nullable().optional(),
    holdoutPercent: HoldoutPercent.optional(),
    goal: Goal.nullable().optional(),
  })
  .meta({ id: 'CampaignPatch' });
export type CampaignPatch = z.infer<typeof CampaignPatch>;

export const campaignStatuses = ['draft', 'active', 'paused'] as const;

export const Campaign = z
  .object({
    ...fields,
    id: Id,
    status: z.enum(campaignStatuses),
    createdAt: UtcTimestamp,
    updatedAt: UtcTimestamp,
    version: Version,
  })
  .meta({ id: 'Campaign' });
export type Campaign = z.infer<typeof Campaign>;

export const CampaignStats = z
  .object({
    scheduled: z.number().int(),
    sent: z.number().int(),
    suppressed: z.number().int(),
    failed: z.number().int(),
    /** Messages not sent because the customer is in the campaign's control group. */
    holdout: z.number().int(),
    surveys: z.number().int(),
    replies: z.number().int(),
    satisfied: z.number().int(),
    neutral: z.number().int(),
    unsatisfied: z.number().int(),
  })
  .meta({ id: 'CampaignStats' });
export type CampaignStats = z.infer<typeof CampaignStats>;
export type CampaignCounter = keyof CampaignStats;

export const CampaignListQuery = ListQuery.extend({
  status: z.enum(campaignStatuses).optional(),
});
