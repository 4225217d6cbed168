import type { Clock, Ids } from './clock.ts';
import type {
  CustomerRepository,
  IdempotencyStore,
  ProductRepository,
  PurchaseRepository,
  TimelineRepository,
} from './repositories.ts';

export interface Settings {
  defaultTimezone: string;
  /** ISO 3166 country used to read phone numbers written without a country code; unset means "reject them". */
  defaultPhoneCountry?: string | undefined;
}

/** Everything the use cases need, assembled by one composition root per environment. */
export interface CrmDependencies {
  customers: CustomerRepository;
  products: ProductRepository;
  purchases: PurchaseRepository;
  timeline: TimelineRepository;
  idempotency: IdempotencyStore;
  clock: Clock;
  ids: Ids;
  settings: Settings;
}
