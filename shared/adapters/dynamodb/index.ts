import type { CrmDependencies } from '../../ports/dependencies.ts';
import { dynamoCustomerRepository } from './customer-repository.ts';
import { dynamoIdempotencyStore } from './idempotency-store.ts';
import { dynamoProductRepository } from './product-repository.ts';
import { dynamoPurchaseRepository } from './purchase-repository.ts';
import type { Table } from './table.ts';
import { dynamoTimelineRepository } from './timeline-repository.ts';

/** The DynamoDB adapters; both AWS and the local runtime use them, the latter against DynamoDB Local. */
export const dynamoRepositories = (
  table: Table,
): Pick<CrmDependencies, 'customers' | 'products' | 'purchases' | 'timeline' | 'idempotency'> => ({
  customers: dynamoCustomerRepository(table),
  products: dynamoProductRepository(table),
  purchases: dynamoPurchaseRepository(table),
  timeline: dynamoTimelineRepository(table),
  idempotency: dynamoIdempotencyStore(table),
});
