import type { GroupMarks, RepeatGroup } from '../domain/repeat-purchases.ts';

/** What the counters know about one customer, read with one GetItem per purchase. */
export interface RepeatState extends GroupMarks {
  /** The customer's earliest purchase counted so far, as `purchasedAt#purchaseId` (UTC, fixed width). */
  first?: string | undefined;
  /** The first purchase's month and group, so a purchase found earlier later can make it a repeat. */
  firstMonth?: string | undefined;
  firstGroup?: RepeatGroup | undefined;
  /** `month#group` of purchases that stopped being first when an earlier one arrived later. */
  displaced?: string[] | undefined;
}

/** One purchase as the counters see it. */
export interface CountedPurchase {
  customerId: string;
  purchaseId: string;
  /** UTC, as stored on the purchase. */
  purchasedAt: string;
  /** YYYY-MM in the store's time zone. */
  month: string;
  /** Decided from the customer's marks at the purchase's time; undefined counts it in no group. */
  group: RepeatGroup | undefined;
}

export interface MonthFigures {
  buyers: number;
  repeatBuyers: number;
}

/**
 * Repeat-purchase counters, kept by consumers of at-least-once deliveries: every write is an
 * idempotent marker (conditional on its absence) in one transaction with its counter, so a
 * redelivered message or purchase changes nothing.
 */
export interface RepeatPurchaseCounters {
  /** The customer became reminded or held out at `at`; the earliest time of each kind is kept. */
  mark(customerId: string, mark: keyof GroupMarks, at: string): Promise<void>;
  state(customerId: string): Promise<RepeatState>;
  /**
   * Counts a purchase once: its customer among the month's buyers of its group, and among the repeat
   * buyers when it is not the customer's first purchase. `state` is what `state()` returned.
   */
  count(purchase: CountedPurchase, state: RepeatState): Promise<void>;
  /** Figures per month (YYYY-MM) and group for the months in [fromMonth, toMonth]; absent months are zero. */
  read(fromMonth: string, toMonth: string): Promise<Map<string, Record<RepeatGroup, MonthFigures>>>;
}
