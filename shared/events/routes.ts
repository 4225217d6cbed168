import type { EventPattern } from '../domain/event-pattern.ts';
import { EVENT_SOURCE } from './domain-event.ts';

/** The continuation a re-planning publishes when its invocation's time runs low. */
export const CAMPAIGN_REPLAN = 'campaign.replan-continued';

/** The Lambda functions that EventBridge rules invoke. */
export type EventTarget =
  | 'run-automation'
  | 'plan-touchpoints'
  | 'forget-customer'
  | 'ses-feedback'
  | 'count-sales'
  | 'record-conversions'
  | 'count-repeat-purchases';

export interface EventRoute {
  /** Also the CDK construct id of the rule. */
  name: string;
  description: string;
  pattern: EventPattern;
  target: EventTarget;
  /** AWS service events arrive on the account's default bus; the CRM's own on its custom bus. */
  bus?: 'crm' | 'default';
}

/**
 * Which domain events go where, declared once: the CDK stack makes one EventBridge rule per route,
 * and the local bus dispatches from this same list with the same pattern semantics.
 */
export const eventRoutes: EventRoute[] = [
  {
    name: 'RunAutomation',
    description: 'Every entity change is evaluated against the enabled automation rules',
    pattern: {
      source: [EVENT_SOURCE],
      'detail-type': [
        { prefix: 'customer.' },
        { prefix: 'purchase.' },
        { prefix: 'opportunity.' },
        { prefix: 'order.' },
        { prefix: 'task.' },
        { prefix: 'lead.' },
      ],
    },
    target: 'run-automation',
  },
  {
    name: 'CountSales',
    description: 'Leads, contacts, callbacks and opportunities keep the sales report counters up to date',
    pattern: {
      source: [EVENT_SOURCE],
      'detail-type': [
        { prefix: 'lead.' },
        { prefix: 'activity.' },
        { prefix: 'task.' },
        { prefix: 'opportunity.' },
      ],
    },
    target: 'count-sales',
  },
  {
    name: 'PlanTouchpoints',
    description: 'A purchase plans the touchpoints of every active lifecycle campaign it matches',
    pattern: { source: [EVENT_SOURCE], 'detail-type': ['purchase.recorded'] },
    target: 'plan-touchpoints',
  },
  {
    name: 'RecordConversions',
    description: "A purchase converts the customer's campaign exposures whose goal it meets",
    pattern: { source: [EVENT_SOURCE], 'detail-type': ['purchase.recorded'] },
    target: 'record-conversions',
  },
  {
    name: 'CountRepeatPurchases',
    description: "A purchase counts in its month of the repeat-purchase report, in the buyer's group",
    pattern: { source: [EVENT_SOURCE], 'detail-type': ['purchase.recorded'] },
    target: 'count-repeat-purchases',
  },
  {
    name: 'ReplanTouchpoints',
    description:
      "A lifecycle campaign's new timing or products re-plan its pending touchpoints; deleting it cancels them",
    pattern: {
      source: [EVENT_SOURCE],
      'detail-type': ['campaign.updated', 'campaign.deleted', CAMPAIGN_REPLAN],
      detail: { entity: { kind: ['lifecycle'] } },
    },
    target: 'plan-touchpoints',
  },
  {
    name: 'ForgetCustomer',
    description: "A deleted customer's pending touchpoints are cancelled and their personal data erased",
    pattern: { source: [EVENT_SOURCE], 'detail-type': ['customer.deleted'] },
    target: 'forget-customer',
  },
  {
    name: 'SesFeedback',
    description: 'SES bounces and complaints suppress the address',
    pattern: { source: ['aws.ses'], 'detail-type': ['Email Bounced', 'Email Complaint Received'] },
    target: 'ses-feedback',
    bus: 'default',
  },
];
