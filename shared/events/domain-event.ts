/** What automation and other subscribers receive: one change to one CRM entity. */
export interface Cause {
  ruleId: string;
  eventId: string;
  /** How many automated changes led here; a chain stops at MAX_CAUSE_DEPTH. */
  depth: number;
}

export interface DomainEventDetail<T = Record<string, unknown>> {
  /** Stable across redeliveries (derived from the stream record), so consumers can dedupe. */
  eventId: string;
  entity: T;
  previous?: T;
  changed: string[];
  cause?: Cause;
}

export interface DomainEvent<T = Record<string, unknown>> {
  /** detail-type, e.g. customer.created, purchase.recorded, opportunity.updated. */
  type: string;
  time: string;
  detail: DomainEventDetail<T>;
}

export const EVENT_SOURCE = 'crm';
export const MAX_CAUSE_DEPTH = 3;

/** The envelope EventBridge delivers to a rule target. */
export interface BusEvent<T = Record<string, unknown>> {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: DomainEventDetail<T>;
}
