import * as z from 'zod';
import { Id, ListQuery, OffsetTimestamp, Sku, TimeZone, UtcTimestamp, Version } from './common.ts';
import { cronError } from './cron.ts';
import { patternErrors } from './event-pattern.ts';
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
  survey: z.boolean().default(false),
  trigger: Trigger.optional(),
  schedule: Schedule.optional(),
  audience: Audience.optional(),
  sendAt: Clock.default('10:00'),
  sendWindow: SendWindow.default({ start: '09:00', end: '20:00' }),
  message: Message,
};

type Shape = {
  kind?: string;
  channel?: string;
  survey?: boolean;
  trigger?: unknown;
  schedule?: { at?: string } | { cron: string };
  message?: { subject?: string | undefined };
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
  if (campaign.channel === 'email' && !campaign.message?.subject) {
    issues.push({ path: ['message', 'subject'], message: 'an email needs a subject' });
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
    message: Message.optional(),
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
    unsatisfied: z.number().int(),
  })
  .meta({ id: 'CampaignStats' });
export type CampaignStats = z.infer<typeof CampaignStats>;
export type CampaignCounter = keyof CampaignStats;

export const CampaignListQuery = ListQuery.extend({
  status: z.enum(campaignStatuses).optional(),
});
