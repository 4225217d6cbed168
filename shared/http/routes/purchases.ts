import { ListQuery, page } from '../../domain/common.ts';
import { CustomerParams } from '../../domain/customer.ts';
import { Purchase, PurchaseInput } from '../../domain/purchase.ts';
import { defineRoute, type RouteSpec } from '../route-spec.ts';

import { customerWriters, purchaseReaders } from './common.ts';

/** The purchases function's routes. */
export const purchasesSpecs = {
  recordPurchase: defineRoute({
    method: 'POST',
    path: '/purchases',
    group: 'purchases',
    operationId: 'recordPurchase',
    summary: 'Record a purchase',
    roles: customerWriters,
    body: PurchaseInput,
    success: { status: 201, schema: Purchase, description: 'The recorded purchase with its total' },
  }),
  listCustomerPurchases: defineRoute({
    method: 'GET',
    path: '/customers/{id}/purchases',
    group: 'purchases',
    operationId: 'listCustomerPurchases',
    summary: "List a customer's purchases, newest first",
    roles: purchaseReaders,
    params: CustomerParams,
    query: ListQuery,
    success: { status: 200, schema: page(Purchase), description: 'A page of purchases' },
  }),
} satisfies Record<string, RouteSpec>;
