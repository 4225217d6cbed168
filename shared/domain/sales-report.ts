import * as z from 'zod';
import { CalendarDate } from './common.ts';
import { leadSources } from './lead.ts';
import { stages } from './opportunity.ts';

/** A date in a report (queries take a CalendarDate: 2000-01-01..2099-12-31, as everywhere else). */
const DateOnly = z.iso.date({ error: 'must be a date such as 2026-11-23' });

export const SalesReportQuery = z
  .strictObject({
    period: z.enum(['day', 'week', 'month']).default('day'),
    /** A day in the deployment's time zone; defaults to today. The week starts on Monday. */
    date: CalendarDate.optional(),
    ownerId: z.string().min(1).optional(),
  })
  .meta({ id: 'SalesReportQuery' });
export type SalesReportQuery = z.infer<typeof SalesReportQuery>;

export const RangeQuery = z
  .strictObject({
    /** First day, in the deployment's time zone; defaults to the first of this month. */
    from: CalendarDate.optional(),
    /** Last day (inclusive); defaults to today. */
    to: CalendarDate.optional(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { path: ['to'], message: 'must not be before from' });
export type RangeQuery = z.infer<typeof RangeQuery>;

const SalesFigures = {
  newLeads: z.number().int(),
  contacts: z.object({ call: z.number().int(), visit: z.number().int(), testDrive: z.number().int() }),
  callbacksDue: z.number().int(),
  callbacksDone: z.number().int(),
  callbacksOverdue: z.number().int(),
  /** Open leads by grade now (not a figure of the period). */
  leadsByGrade: z.record(z.string(), z.number().int()),
  upgrades: z.number().int(),
  downgrades: z.number().int(),
  won: z.number().int(),
  lost: z.number().int(),
  /** won ÷ (won + lost) in the period; 0 when nothing closed. */
  conversionRate: z.number(),
};

export const SalesRow = z.object({ ownerId: z.string(), ...SalesFigures }).meta({ id: 'SalesReportRow' });
export type SalesRow = z.infer<typeof SalesRow>;
export const SalesTotals = z.object(SalesFigures);

export const SalesReport = z
  .object({
    from: DateOnly,
    to: DateOnly,
    timezone: z.string(),
    rows: z.array(SalesRow),
    totals: SalesTotals,
  })
  .meta({ id: 'SalesReport' });
export type SalesReport = z.infer<typeof SalesReport>;

export const FunnelReport = z
  .object({
    from: DateOnly,
    to: DateOnly,
    /** Opportunities created in the range, by their current stage. */
    stages: z.array(
      z.object({
        stage: z.enum(stages),
        count: z.number().int(),
        amount: z.number(),
        /** How many got at least this far (won counts for every stage; lost for the stage it was lost at). */
        reached: z.number().int(),
        /** reached ÷ the previous stage's reached; absent for the first stage and for lost. */
        conversionRate: z.number().optional(),
      }),
    ),
  })
  .meta({ id: 'FunnelReport' });
export type FunnelReport = z.infer<typeof FunnelReport>;

export const LeadSourcesReport = z
  .object({
    from: DateOnly,
    to: DateOnly,
    /** Leads recorded in the range, by source and the grade they were recorded with. */
    items: z.array(
      z.object({
        source: z.enum(leadSources),
        grade: z.string(),
        leads: z.number().int(),
        won: z.number().int(),
        lost: z.number().int(),
        /** won ÷ leads. */
        winRate: z.number(),
      }),
    ),
  })
  .meta({ id: 'LeadSourcesReport' });
export type LeadSourcesReport = z.infer<typeof LeadSourcesReport>;
