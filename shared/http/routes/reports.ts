import { RepeatPurchasesQuery, RepeatPurchasesReport } from '../../domain/repeat-purchases.ts';
import {
  FunnelReport,
  LeadSourcesReport,
  RangeQuery,
  SalesReport,
  SalesReportQuery,
} from '../../domain/sales-report.ts';
import { defineRoute, type RouteSpec } from '../route-spec.ts';
import { campaignManagers, reportReaders, salesReportReaders } from './common.ts';

/** The reports function's routes: figures read from counters the event stream keeps, never a scan. */
export const reportsSpecs = {
  salesReport: defineRoute({
    method: 'GET',
    path: '/reports/sales',
    group: 'reports',
    operationId: 'salesReport',
    summary:
      'Per salesperson: new leads, contacts, callbacks, grade moves, won and lost (sales: their own row)',
    roles: salesReportReaders,
    query: SalesReportQuery,
    success: { status: 200, schema: SalesReport, description: 'The day, week (Monday first) or month' },
  }),
  funnelReport: defineRoute({
    method: 'GET',
    path: '/reports/funnel',
    group: 'reports',
    operationId: 'funnelReport',
    summary: 'Opportunities created in the range by stage, with stage-to-stage conversion',
    roles: reportReaders,
    query: RangeQuery,
    success: { status: 200, schema: FunnelReport, description: 'The funnel' },
  }),
  leadSourcesReport: defineRoute({
    method: 'GET',
    path: '/reports/lead-sources',
    group: 'reports',
    operationId: 'leadSourcesReport',
    summary: 'Leads recorded in the range by source and first grade, with their win rate',
    roles: reportReaders,
    query: RangeQuery,
    success: { status: 200, schema: LeadSourcesReport, description: 'Win rate per source and grade' },
  }),
  repeatPurchasesReport: defineRoute({
    method: 'GET',
    path: '/reports/repeat-purchases',
    group: 'reports',
    operationId: 'repeatPurchasesReport',
    summary:
      "Per month (the store's time zone): buyers, repeat buyers and repeat rate of reminded and held-out customers",
    roles: campaignManagers,
    query: RepeatPurchasesQuery,
    success: {
      status: 200,
      schema: RepeatPurchasesReport,
      description: 'One row per month from the month of from to the month of to',
    },
  }),
} satisfies Record<string, RouteSpec>;
