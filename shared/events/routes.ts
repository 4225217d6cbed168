import type { EventPattern } from '../domain/event-pattern.ts';
import { EVENT_SOURCE } from './domain-event.ts';

/** The Lambda functions that EventBridge rules invoke. */
export type EventTarget = 'run-automation';

export interface EventRoute {
  /** Also the CDK construct id of the rule. */
  name: string;
  description: string;
  pattern: EventPattern;
  target: EventTarget;
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
      ],
    },
    target: 'run-automation',
  },
];
