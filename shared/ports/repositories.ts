import type { Page } from '../domain/common.ts';
import type { Customer } from '../domain/customer.ts';
import type { Product } from '../domain/product.ts';
import type { Purchase } from '../domain/purchase.ts';

export interface PageRequest {
  limit: number;
  cursor?: string | undefined;
}

export interface CustomerRepository {
  get(id: string): Promise<Customer | undefined>;
  /** Fails with ConflictError when the phone already belongs to another customer. */
  create(customer: Customer): Promise<void>;
  /** Writes `next` only while the stored version is still `previous.version`; returns false when it is not. */
  replace(previous: Customer, next: Customer): Promise<boolean>;
  delete(customer: Customer): Promise<void>;
  list(
    filter: { ownerId?: string | undefined; tag?: string | undefined },
    page: PageRequest,
  ): Promise<Page<Customer>>;
  findIdByPhone(e164: string): Promise<string | undefined>;
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
  listByCustomer(customerId: string, page: PageRequest): Promise<Page<Purchase>>;
}

export interface TimelineEntry {
  type: 'purchase';
  at: string;
  id: string;
  data: Record<string, unknown>;
}

export interface TimelineRepository {
  list(customerId: string, page: PageRequest): Promise<Page<TimelineEntry>>;
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
