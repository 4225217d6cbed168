/** The API's shapes as the console reads them (see openapi.json for the whole contract). */
import type { SurveySetting } from './survey.ts';
export interface Message {
  subject?: string;
  body: string;
  byInterest?: Record<string, string>;
}

export type Timing = { afterPurchaseDays: number } | { beforeLifespanEndDays: number };
export type Schedule = { at: string } | { cron: string; timezone: string };

export interface Campaign {
  id: string;
  name: string;
  kind: 'lifecycle' | 'broadcast';
  channel: 'email' | 'sms';
  survey: SurveySetting;
  trigger?: { products?: { skus?: string[]; categories?: string[] }; timing: Timing };
  schedule?: Schedule;
  audience?: Record<string, unknown>;
  sendAt: string;
  sendWindow: { start: string; end: string };
  /** Absent when the campaign has `variants` instead. */
  message?: Message;
  variants?: Variant[];
  holdoutPercent?: number;
  goal?: Goal;
  status: 'draft' | 'active' | 'paused';
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface Variant {
  name: string;
  weight: number;
  message: Message;
}

/** What counts as a conversion: the first matching purchase within `withinDays` of the message. */
export interface Goal {
  purchase?: { sameCategory?: boolean; skus?: string[]; categories?: string[] };
  withinDays: number;
}

export interface CampaignReport {
  totals: {
    sent: number;
    holdout: number;
    conversions: number;
    conversionRate: number;
    revenue: number;
    holdoutConversions: number;
    holdoutConversionRate: number;
    uplift: number;
    holdoutRevenue?: number;
  };
  /** How far to trust the uplift (the Wald interval of a difference of two proportions). */
  confidence?: {
    level: number;
    /** null while a group is empty. */
    upliftLow: number | null;
    upliftHigh: number | null;
    significant: boolean;
    enoughData: boolean;
    minimumPerGroup: number;
  };
  variants: {
    name: string;
    sent: number;
    conversions: number;
    conversionRate: number;
    replies: number;
    satisfied: number;
  }[];
  series: { start: string; sent: number; replies: number; conversions: number }[];
  interval: 'day' | 'week';
  timezone: string;
}

export interface RepeatFigures {
  buyers: number;
  repeatBuyers: number;
  repeatRate: number;
  /** The 95% Wilson interval of the rate (0–1 when nobody bought). */
  repeatRateInterval?: { low: number; high: number };
}

export interface RepeatPurchases {
  from: string;
  to: string;
  timezone: string;
  interval: 'month';
  items: { start: string; reminded: RepeatFigures; heldOut: RepeatFigures; uplift?: number }[];
}

export interface CampaignStats {
  scheduled: number;
  sent: number;
  suppressed: number;
  failed: number;
  surveys: number;
  replies: number;
  satisfied: number;
  unsatisfied: number;
}

export interface SentMessage {
  id: string;
  campaignId: string;
  customerId: string;
  channel: string;
  to?: string;
  subject?: string;
  body?: string;
  status: string;
  reason?: string;
  variant?: string;
  sentAt: string;
  deferredUntil?: string;
}

export interface Customer {
  id: string;
  name: string;
  email?: string;
  phone?: string;
  timezone: string;
  locale?: string;
  region?: string;
  industry?: string;
  interests: string[];
  household: { relation: string; interests: string[] }[];
  consent: { email: boolean; sms: boolean };
  tags: string[];
  ownerId?: string;
  tier?: string;
  totalSales?: number;
  attributes: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface Product {
  sku: string;
  name: string;
  category?: string;
  lifespanDays?: number;
  careTips?: string;
  price?: number;
}

export interface TimelineEntry {
  type: 'purchase' | 'task' | 'message' | 'email-feedback' | 'satisfaction';
  at: string;
  id: string;
  data: Record<string, unknown>;
}

export interface Task {
  id: string;
  type: string;
  customerId: string;
  title: string;
  reason: string;
  assigneeId?: string;
  queue?: string;
  dueAt: string;
  status: 'open' | 'done' | 'cancelled' | 'cancel-requested';
  satisfactionId?: string;
  outcome?: string;
  leadId?: string;
  cancelReason?: string;
  decision?: { approve: boolean; note?: string; by: string; at: string };
  version: number;
}

export interface Lead {
  id: string;
  customerId: string;
  interest: string;
  grade: string;
  gradeSince: string;
  status: 'open' | 'won' | 'lost';
  ownerId?: string;
  pool?: string;
  queue?: string;
  source: string;
  nextCallbackAt?: string;
  companions: { relation: string; note?: string }[];
  note?: string;
  lastContactAt?: string;
  amount?: number;
  lostReason?: string;
  createdAt: string;
  version: number;
}

export interface Activity {
  id: string;
  type: string;
  at: string;
  outcome?: string;
  note?: string;
  grade?: string;
  previousGrade?: string;
  actorId: string;
}

export interface SalesSettings {
  grades: { code: string; label: string; callbackEveryDays?: number }[];
  pools: { id: string; name: string }[];
}

export interface SummaryRow {
  key: string;
  surveys: number;
  replies: number;
  satisfied: number;
  unsatisfied: number;
  neutral?: number;
  responseRate: number;
  satisfactionRate: number;
  /** Mean 1–5 (csat5) or 0–10 (nps) rating; absent when no answer carried a number. */
  averageRating?: number;
  /** Net Promoter Score, −100…100, of the nps answers. */
  nps?: number;
}

export interface SatisfactionRecord {
  id: string;
  customerId: string;
  campaignId: string;
  sku?: string;
  score: string;
  comment?: string;
  rawReply?: string;
  receivedAt: string;
}

export interface Rule {
  id: string;
  name: string;
  on: string;
  when: Record<string, unknown>;
  changed?: string[];
  do: Record<string, unknown>[];
  enabled: boolean;
  version: number;
}

export interface RuleRun {
  eventId: string;
  eventType: string;
  entityId: string;
  at: string;
  result: string;
  reason?: string;
  actions: { type: string; result: string; detail?: string }[];
}
