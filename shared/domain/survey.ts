import * as z from 'zod';
import { Id, ListQuery, UtcTimestamp } from './common.ts';
import type { SurveyScale } from './reply-parser.ts';

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
  /** The question asked; absent on surveys opened before scales existed (binary). */
  scale?: SurveyScale;
}

export const surveyScales = ['binary', 'csat5', 'nps'] as const;
/** `survey: true` on a campaign is the 1/2 question; `{ scale }` picks another. */
export const SurveySetting = z.union([z.boolean(), z.strictObject({ scale: z.enum(surveyScales) })]);
export type SurveySetting = z.infer<typeof SurveySetting>;
export const surveyScaleOf = (survey: SurveySetting | undefined): SurveyScale | undefined =>
  survey === true ? 'binary' : survey ? survey.scale : undefined;

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
    score: z.enum(['satisfied', 'neutral', 'unsatisfied']),
    /** 1–5 on csat5, 0–10 on nps; absent on the 1/2 question and when words gave no number on nps. */
    rating: z.number().int().min(0).max(10).optional(),
    scale: z.enum(surveyScales).optional(),
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
    neutral: z.number().int(),
    unsatisfied: z.number().int(),
    responseRate: z.number(),
    satisfactionRate: z.number(),
    /** Mean rating of the csat5 answers, or of the nps answers when there are no csat5 ones. */
    averageRating: z.number().optional(),
    /** Net Promoter Score (−100…100) of the nps answers: % promoters (9–10) − % detractors (0–6). */
    nps: z.number().optional(),
  })
  .meta({ id: 'SatisfactionSummaryRow' });
export type SummaryRow = z.infer<typeof SummaryRow>;

/** The counters a summary row keeps; rating sums are per scale so a sku's mixed campaigns stay apart. */
export interface SummaryCounters {
  surveys: number;
  replies: number;
  satisfied: number;
  neutral?: number;
  unsatisfied: number;
  csatRated?: number;
  csatSum?: number;
  npsRated?: number;
  npsSum?: number;
  promoters?: number;
  detractors?: number;
}

/** What one answer adds to the summary counters. */
export const answerCounters = (answer: Pick<Satisfaction, 'score' | 'rating' | 'scale'>) => {
  const counters: Record<string, number> = { replies: 1, [answer.score]: 1 };
  if (answer.rating !== undefined && answer.scale === 'csat5')
    Object.assign(counters, { csatRated: 1, csatSum: answer.rating });
  if (answer.rating !== undefined && answer.scale === 'nps')
    Object.assign(counters, {
      npsRated: 1,
      npsSum: answer.rating,
      ...(answer.rating >= 9 ? { promoters: 1 } : answer.rating <= 6 ? { detractors: 1 } : {}),
    });
  return counters;
};

const round = (n: number, places: number) => Math.round(n * 10 ** places) / 10 ** places;

/** Rates are shares of 1, rounded to 4 places; 0 when nothing was asked or answered. */
export const summaryRow = (key: string, c: SummaryCounters): SummaryRow => {
  const csatRated = c.csatRated ?? 0;
  const npsRated = c.npsRated ?? 0;
  return {
    key,
    surveys: c.surveys,
    replies: c.replies,
    satisfied: c.satisfied,
    neutral: c.neutral ?? 0,
    unsatisfied: c.unsatisfied,
    responseRate: c.surveys ? round(c.replies / c.surveys, 4) : 0,
    satisfactionRate: c.replies ? round(c.satisfied / c.replies, 4) : 0,
    ...(csatRated
      ? { averageRating: round((c.csatSum ?? 0) / csatRated, 2) }
      : npsRated
        ? { averageRating: round((c.npsSum ?? 0) / npsRated, 2) }
        : {}),
    ...(npsRated ? { nps: round((((c.promoters ?? 0) - (c.detractors ?? 0)) / npsRated) * 100, 1) } : {}),
  };
};

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
