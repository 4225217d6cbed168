/** One ADD to one counter attribute of one counter item. */
export interface CounterDelta {
  /** The item's partition, e.g. sales#2026-11 (the store adds its own prefix). */
  partition: string;
  /** The item's key within the partition, e.g. 2026-11-23#u-sales-1. */
  key: string;
  field: string;
  n: number;
}

export interface CounterRow {
  key: string;
  values: Record<string, number>;
}

/**
 * Counters kept by a consumer of at-least-once events: `apply` records the event id in the same
 * transaction as the ADDs, so a redelivered event changes nothing ('duplicate').
 */
export interface EventCounters {
  apply(eventId: string, deltas: CounterDelta[]): Promise<'applied' | 'duplicate' | 'empty'>;
  /** The rows of a partition whose key lies in [fromKey, toKey]. */
  read(partition: string, fromKey?: string, toKey?: string): Promise<CounterRow[]>;
}
