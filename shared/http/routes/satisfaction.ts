import * as z from 'zod';
import { page } from '../../domain/common.ts';
import { Satisfaction, SatisfactionQuery, SummaryQuery, SummaryRow } from '../../domain/survey.ts';
import { defineRoute, type RouteSpec } from '../route-spec.ts';

/** The satisfaction function's routes. */
export const satisfactionSpecs = {
  listSatisfaction: defineRoute({
    method: 'GET',
    path: '/satisfaction',
    group: 'satisfaction',
    operationId: 'listSatisfaction',
    summary: 'Satisfaction records by customer, campaign or sku, newest first',
    roles: ['admin', 'marketer', 'service'],
    query: SatisfactionQuery,
    success: { status: 200, schema: page(Satisfaction), description: 'A page of satisfaction records' },
  }),
  satisfactionSummary: defineRoute({
    method: 'GET',
    path: '/satisfaction/summary',
    group: 'satisfaction',
    operationId: 'satisfactionSummary',
    summary:
      'Surveys, replies, response and satisfaction rates by sku or campaign (kept as counters on write)',
    roles: ['admin', 'marketer', 'service'],
    query: SummaryQuery,
    success: {
      status: 200,
      schema: z.object({ items: z.array(SummaryRow), unmatchedReplies: z.number().int() }),
      description: 'One row per sku or campaign',
    },
  }),
} satisfies Record<string, RouteSpec>;
