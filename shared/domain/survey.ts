import * as z from 'zod';
import { Id, ListQuery, UtcTimestamp } from './common.ts';

export interface Survey {
  /** The message id (touchpoint id) of the SMS that asked. */
  id: string;
  customerId: string;
  phone: string;
  campaignId: string;
  purchaseId?: string;
  /** The first matching item; `skus` has every item of the purchase the survey asks about. */
  sku?: string;
  skus?: string[];
  providerMessageId: string;
  sentAt: string;
  expiresAt: string;
  status: 'open' | 'answered' | 'expired';
}

export const SURVEY_DAYS = 7;

export const Satisfaction = z
  .object({
    id: z.string(),
    surveyId: z.string(),
    customerId: Id,
    campaignId: Id,
    purchaseId: z.string().optional(),
    /** The first item asked about; `skus` lists every item of the purchase the survey asked about. */
    sku: z.string().optional(),
    skus: z.array(z.string()).optional(),
    score: z.enum(['satisfied', 'unsatisfied']),
    comment: z.string().optional(),
    /** Absent once the customer is erased. */
    rawReply: z.string().optional(),
    receivedAt: UtcTimestamp,
  })
  .meta({ id: 'Satisfaction' });
export type Satisfaction = z.infer<typeof Satisfaction>;

export const SatisfactionQuery = ListQuery.extend({
  customerId: Id.optional(),
  campaignId: Id.optional(),
  sku: z.string().min(1).max(64).optional(),
}).refine((q) => q.customerId || q.campaignId || q.sku, {
  message: 'give customerId, campaignId or sku',
  path: ['customerId'],
});

export const SummaryQuery = z.strictObject({ groupBy: z.enum(['sku', 'campaign']) });

export const SummaryRow = z
  .object({
    key: z.string(),
    surveys: z.number().int(),
    replies: z.number().int(),
    satisfied: z.number().int(),
    unsatisfied: z.number().int(),
    responseRate: z.number(),
    satisfactionRate: z.number(),
  })
  .meta({ id: 'SatisfactionSummaryRow' });
export type SummaryRow = z.infer<typeof SummaryRow>;

/** Rates are shares of 1, rounded to 4 places; 0 when nothing was asked or answered. */
export const summaryRow = (
  key: string,
  c: { surveys: number; replies: number; satisfied: number; unsatisfied: number },
): SummaryRow => ({
  key,
  ...c,
  responseRate: c.surveys ? Math.round((c.replies / c.surveys) * 10_000) / 10_000 : 0,
  satisfactionRate: c.replies ? Math.round((c.satisfied / c.replies) * 10_000) / 10_000 : 0,
});

/** The End User Messaging two-way SMS payload, as published to the inbound SNS topic. */
export const InboundSms = z.object({
  originationNumber: z.string().min(3),
  destinationNumber: z.string().min(3),
  messageKeyword: z.string().optional(),
  messageBody: z.string().max(2000),
  inboundMessageId: z.string().min(1).max(200),
  previousPublishedMessageId: z.string().optional(),
});
export type InboundSms = z.infer<typeof InboundSms>;

export type InboundOutcome =
  | 'scored'
  | 'late'
  | 'already-answered'
  | 'unmatched'
  | 'unclear'
  | 'opted-out'
  | 'opted-in'
  | 'help'
  | 'duplicate';
