import type { DomainEvent } from '../events/domain-event.ts';

export interface EventPublisher {
  /** Publishes in order; returns the indexes of the events that were not accepted. */
  publish(events: DomainEvent[]): Promise<number[]>;
}

/** Where an entity published by reference lives in the table: its item's key. */
export interface ItemRef {
  pk: string;
  sk: string;
}

/** Loads an item by key as its entity (storage attributes removed), or undefined when it is gone. */
export interface ItemLoader {
  load(ref: ItemRef): Promise<Record<string, unknown> | undefined>;
}
