import type { AutomationRule, RuleRun } from '../domain/automation-rule.ts';
import type { Page } from '../domain/common.ts';
import type { Customer } from '../domain/customer.ts';
import type { Opportunity } from '../domain/opportunity.ts';
import type { Order } from '../domain/order.ts';
import type { Product } from '../domain/product.ts';
import type { Purchase } from '../domain/purchase.ts';
import type { Task } from '../domain/task.ts';
import type { Cause } from '../events/domain-event.ts';

export interface PageRequest {
  limit: number;
  cursor?: string | undefined;
}

export interface CustomerRepository {
  get(id: string): Promise<Customer | undefined>;
  /** Fails with ConflictError when the phone already belongs to another customer. */
  create(customer: Customer): Promise<void>;
  /** Writes `next` only while the stored version is still `previous.version`; returns false when it is not. */
  replace(previous: Customer, next: Customer, cause?: Cause): Promise<boolean>;
  delete(customer: Customer): Promise<void>;
  /**
   * Customers in id order; with `tag`, only those carrying it. A page may hold fewer than `limit`
   * items (the index is sharded and merged); follow `nextCursor` to the end.
   */
  list(
    filter: { ownerId?: string | undefined; tag?: string | undefined },
    page: PageRequest,
  ): Promise<Page<Customer>>;
  /** How many independent segments the whole customer base is read in (a broadcast's audience). */
  readonly audienceSegments: number;
  /** One page of one segment (0 ≤ segment < audienceSegments); segments can be read in parallel. */
  pageSegment(segment: number, page: PageRequest): Promise<Page<Customer>>;
  findIdByPhone(e164: string): Promise<string | undefined>;
  findIdByExternalId(externalId: string): Promise<string | undefined>;
  /** The customers with these member numbers, by member number (two BatchGetItems per 100). */
  getManyByExternalId(externalIds: string[]): Promise<Map<string, Customer>>;
}

export interface ProductRepository {
  get(sku: string): Promise<Product | undefined>;
  getMany(skus: string[]): Promise<Map<string, Product>>;
  /** Creates when `expectedVersion` is undefined, otherwise replaces that version; returns false on a lost race. */
  put(product: Product, expectedVersion: number | undefined): Promise<boolean>;
  list(page: PageRequest): Promise<Page<Product>>;
}

export interface PurchaseRepository {
  /** Fails with ValidationError naming `customerId` when the customer vanished meanwhile. */
  record(purchase: Purchase): Promise<void>;
  get(customerId: string, id: string): Promise<Purchase | undefined>;
  listByCustomer(customerId: string, page: PageRequest): Promise<Page<Purchase>>;
  /** Writes `next` over `previous` (a re-imported receipt) and moves the customer's total by the difference. */
  replace(previous: Purchase, next: Purchase): Promise<void>;
  /** How many shards `since` spreads purchases over. */
  readonly dateShards: number;
  /** A page of one of the `dateShards` shards of the purchases made at or after `since`, oldest first. */
  since(shard: number, since: string, page: PageRequest): Promise<Page<Purchase>>;
}

/** Timeline entries that exist only on the timeline: bounces, and SMS opt-outs and opt-ins. */
export type TimelineNoteType = 'email-feedback' | 'opted-out' | 'opted-in';

export interface TimelineNote {
  customerId: string;
  type: TimelineNoteType;
  at: string;
  id: string;
  data: Record<string, unknown>;
}

export interface TimelineEntry {
  type: 'purchase' | 'task' | 'message' | 'satisfaction' | 'activity' | TimelineNoteType;
  at: string;
  id: string;
  data: Record<string, unknown>;
}

export interface TimelineRepository {
  list(customerId: string, page: PageRequest): Promise<Page<TimelineEntry>>;
  /** Adds an entry that exists only on the timeline (e.g. a bounce); the same id twice is one entry. */
  note(
    customerId: string,
    type: TimelineNoteType,
    at: string,
    id: string,
    data: Record<string, unknown>,
  ): Promise<void>;
}

export type IdempotencyClaim =
  | { state: 'claimed' }
  | { state: 'in-progress' }
  | { state: 'mismatch' }
  | { state: 'completed'; response: StoredResponse };

export interface StoredResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

export interface IdempotencyStore {
  claim(scope: string, fingerprint: string, now: Date): Promise<IdempotencyClaim>;
  complete(scope: string, response: StoredResponse, now: Date): Promise<void>;
  release(scope: string): Promise<void>;
}

export interface VersionedStore<T> {
  get(id: string): Promise<T | undefined>;
  /** False when it exists already (a retried create). */
  create(entity: T, cause?: Cause): Promise<boolean>;
  /** False when the stored version moved on. */
  replace(previous: T, next: T, cause?: Cause): Promise<boolean>;
}

export interface OpportunityRepository extends VersionedStore<Opportunity> {
  list(filter: { customerId?: string | undefined }, page: PageRequest): Promise<Page<Opportunity>>;
}

export interface OrderRepository extends VersionedStore<Order> {
  list(filter: { customerId?: string | undefined }, page: PageRequest): Promise<Page<Order>>;
}

export interface TaskRepository extends VersionedStore<Task> {
  list(
    filter: { status?: string | undefined; assignee?: string | undefined; customerId?: string | undefined },
    page: PageRequest,
  ): Promise<Page<Task>>;
}

export interface AutomationRuleRepository extends VersionedStore<AutomationRule> {
  delete(id: string): Promise<void>;
  list(page: PageRequest): Promise<Page<AutomationRule>>;
  /** Every enabled rule; what the automation function evaluates (through a short cache). */
  enabled(): Promise<AutomationRule[]>;
  recordRun(run: RuleRun): Promise<void>;
  runs(ruleId: string, page: PageRequest): Promise<Page<RuleRun>>;
}

/** At-most-once bookkeeping: the first claim of a scope wins, every later one is refused. */
/** At-most-once markers: claim before an action with an outside effect, release if it did not happen. */
export interface OnceLedger {
  claim(scope: string, now: Date): Promise<boolean>;
  release(scope: string): Promise<void>;
}

/** Removes what identifies a deleted customer from the records that outlive them. */
export interface PersonalDataEraser {
  /** `phones`: the numbers the customer had, whose inbound replies are erased too. */
  erase(customerId: string, phones?: string[]): Promise<number>;
}
