import * as z from 'zod';
import { Id, ListQuery, OffsetTimestamp, Sku, UtcTimestamp, Version } from './common.ts';
import { CustomerInput } from './customer.ts';
import { money } from './input-limits.ts';

const Code = z.string().regex(/^[A-Za-z0-9_-]{1,16}$/, 'must be 1-16 letters, digits, dashes or underscores');
const PoolId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'must be 1-64 lower-case letters, digits or dashes');

/** The pool a lead goes to when it goes stale a second time. */
export const MARKETING_POOL = 'marketing';
/** The queue of leads waiting for a manager to assign them. */
export const MANAGER_QUEUE = 'manager';

export const Grade = z.strictObject({
  code: Code,
  label: z.string().trim().min(1).max(200),
  /** A callback task is kept open, due this many days after the last contact. */
  callbackEveryDays: z.number().int().min(1).max(365).optional(),
  /** The daily sweep takes a lead whose grade has not improved for this long. Absent: never stale. */
  staleAfterDays: z.number().int().min(1).max(3650).optional(),
  onStale: z.enum(['reassign', 'pool']),
  pool: PoolId.optional(),
});
export type Grade = z.infer<typeof Grade>;

export const Pool = z.strictObject({ id: PoolId, name: z.string().trim().min(1).max(200) });

export const SalesSettings = z
  .strictObject({
    /** Hottest first. */
    grades: z.array(Grade).min(1).max(20),
    pools: z.array(Pool).max(100).default([]),
  })
  .superRefine((settings, ctx) => {
    const pools = new Set(settings.pools.map((p) => p.id));
    const codes = new Set<string>();
    settings.grades.forEach((grade, i) => {
      if (codes.has(grade.code))
        ctx.addIssue({ code: 'custom', path: ['grades', i, 'code'], message: 'is used twice' });
      codes.add(grade.code);
      if (grade.onStale === 'pool' && !grade.pool)
        ctx.addIssue({
          code: 'custom',
          path: ['grades', i, 'pool'],
          message: 'is required when onStale is pool',
        });
      if (grade.pool && !pools.has(grade.pool))
        ctx.addIssue({ code: 'custom', path: ['grades', i, 'pool'], message: 'must name one of pools' });
    });
    if (!pools.has(MARKETING_POOL))
      ctx.addIssue({
        code: 'custom',
        path: ['pools'],
        message: `must include the "${MARKETING_POOL}" pool (where leads stale twice go)`,
      });
  })
  .meta({ id: 'SalesSettings' });
export type SalesSettings = z.infer<typeof SalesSettings>;

export const defaultSalesSettings: SalesSettings = {
  grades: [
    {
      code: 'H',
      label: '准购买 (buys within 3 months)',
      callbackEveryDays: 7,
      staleAfterDays: 90,
      onStale: 'reassign',
    },
    {
      code: 'A',
      label: '意向 (buys within 6 months)',
      callbackEveryDays: 30,
      staleAfterDays: 90,
      onStale: 'reassign',
    },
    { code: 'B', label: '潜在 (undecided)', onStale: 'pool', pool: MARKETING_POOL },
  ],
  pools: [{ id: MARKETING_POOL, name: 'Marketing follow-up' }],
};

export const leadSources = ['walk-in', 'phone', 'web', 'campaign', 'referral', 'import'] as const;
export const leadStatuses = ['open', 'won', 'lost'] as const;
/** What an erased lead says in place of its interest, and why it was closed. */
export const ERASED_INTEREST = '(erased)';
export const ERASED_REASON = 'customer erased';

export const Companion = z.strictObject({
  relation: z.string().trim().min(1).max(64),
  note: z.string().trim().min(1).max(500).optional(),
});

const leadFields = {
  interest: z.string().trim().min(1).max(200),
  grade: Code,
  source: z.enum(leadSources),
  ownerId: z.string().min(1).max(128).optional(),
  companions: z.array(Companion).max(10).default([]),
  note: z.string().trim().min(1).max(2000).optional(),
};

export const LeadInput = z
  .strictObject({ ...leadFields, customerId: Id.optional(), customer: CustomerInput.optional() })
  .superRefine((input, ctx) => {
    if ((input.customerId === undefined) === (input.customer === undefined))
      ctx.addIssue({
        code: 'custom',
        path: ['customerId'],
        message: 'give exactly one of customerId (an existing customer) or customer (a new one)',
      });
  })
  .meta({ id: 'LeadInput' });
export type LeadInput = z.infer<typeof LeadInput>;

export const LeadPatch = z
  .strictObject({
    interest: leadFields.interest.optional(),
    grade: Code.optional(),
    companions: z.array(Companion).max(10).optional(),
    note: leadFields.note.nullable(),
  })
  .meta({ id: 'LeadPatch' });
export type LeadPatch = z.infer<typeof LeadPatch>;

export const Lead = z
  .object({
    id: Id,
    customerId: Id,
    interest: z.string(),
    grade: z.string(),
    /** When the lead took its current grade. */
    gradeSince: UtcTimestamp,
    status: z.enum(leadStatuses),
    ownerId: z.string().optional(),
    pool: z.string().optional(),
    /** The pool the lead was last taken from, so a late claim learns it was taken (409) rather than 404. */
    lastPool: z.string().optional(),
    /** "manager" while the lead waits for a manager to assign it. */
    queue: z.string().optional(),
    source: z.enum(leadSources),
    nextCallbackAt: UtcTimestamp.optional(),
    companions: z.array(Companion),
    note: z.string().optional(),
    /** Copied from the customer, so automation rules can route leads by region. */
    region: z.string().optional(),
    /** Who the lead belonged to when it was recorded (reports count it as theirs). */
    recordedFor: z.string().optional(),
    initialGrade: z.string(),
    /** The staleness clock: creation, the last upgrade, or the last change of hands. */
    improvedAt: UtcTimestamp,
    staleCount: z.number().int(),
    lastContactAt: UtcTimestamp.optional(),
    lastGradeChange: z.enum(['up', 'down']).optional(),
    callbackTaskId: Id.optional(),
    assignmentTaskId: Id.optional(),
    amount: z.number().optional(),
    orderId: Id.optional(),
    closedAt: UtcTimestamp.optional(),
    lostReason: z.string().optional(),
    /** Set when the customer was deleted: the lead's personal fields are gone and it is closed for good. */
    erasedAt: UtcTimestamp.optional(),
    createdAt: UtcTimestamp,
    updatedAt: UtcTimestamp,
    version: Version,
  })
  .meta({ id: 'Lead' });
export type Lead = z.infer<typeof Lead>;

export const LeadListQuery = ListQuery.extend({
  ownerId: z.string().min(1).optional(),
  grade: Code.optional(),
  status: z.enum(leadStatuses).optional(),
  pool: PoolId.optional(),
});
export type LeadListQuery = z.infer<typeof LeadListQuery>;

export const contactTypes = ['call', 'visit', 'test-drive', 'message', 'note'] as const;
/** What the system records on its own when a lead changes hands or closes. */
export const systemActivityTypes = ['reassigned', 'pooled', 'assigned', 'claimed', 'won', 'lost'] as const;

export const ActivityInput = z
  .strictObject({
    type: z.enum(contactTypes),
    at: OffsetTimestamp,
    outcome: z.enum(['reached', 'no-answer', 'refused', 'visited']),
    note: z.string().trim().min(1).max(2000).optional(),
    grade: Code.optional(),
  })
  .meta({ id: 'ActivityInput' });
export type ActivityInput = z.infer<typeof ActivityInput>;

export const Activity = z
  .object({
    id: Id,
    leadId: Id,
    customerId: Id,
    type: z.enum([...contactTypes, ...systemActivityTypes]),
    at: UtcTimestamp,
    outcome: z.string().optional(),
    note: z.string().optional(),
    grade: z.string().optional(),
    previousGrade: z.string().optional(),
    /** The lead's owner when it happened (reports count the contact as theirs). */
    ownerId: z.string().optional(),
    actorId: z.string(),
    createdAt: UtcTimestamp,
  })
  .meta({ id: 'Activity' });
export type Activity = z.infer<typeof Activity>;

/** The money and item rules of opportunities and purchases; each sku must be in the catalogue. */
export const WinInput = z
  .strictObject({
    amount: money(1e12),
    items: z
      .array(
        z.strictObject({
          sku: Sku,
          quantity: z.number().int().positive().max(10_000),
          unitPrice: money(100_000_000).optional(),
        }),
      )
      .max(100)
      .optional(),
  })
  .meta({ id: 'WinInput' });
export type WinInput = z.infer<typeof WinInput>;

export const LoseInput = z
  .strictObject({ reason: z.string().trim().min(1).max(500) })
  .meta({ id: 'LoseInput' });
export const AssignInput = z
  .strictObject({ ownerId: z.string().min(1).max(128) })
  .meta({ id: 'AssignInput' });
