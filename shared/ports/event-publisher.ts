import type { DomainEvent } from '../events/domain-event.ts';

export interface EventPublisher {
  /** Publishes in order; returns the indexes of the events that were not accepted. */
  publish(events: DomainEvent[]): Promise<number[]>;
}
