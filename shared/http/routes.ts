import { z } from 'zod';
import { ListQuery, page } from '../domain/common.ts';
import {
  Customer,
  CustomerInput,
  CustomerListQuery,
  CustomerParams,
  CustomerPatch,
} from '../domain/customer.ts';
import { roles } from '../domain/principal.ts';
import { Product, ProductInput, ProductParams } from '../domain/product.ts';
import { Purchase, PurchaseInput } from '../domain/purchase.ts';
import { defineRoute, type RouteSpec } from './route-spec.ts';

const everyone = roles;
const customerReaders = ['admin', 'marketer', 'sales', 'service'] as const;
const customerWriters = ['admin', 'sales'] as const;

const TimelineEntry = z
  .object({
    type: z.enum(['purchase']),
    at: z.iso.datetime(),
    id: z.string(),
    data: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'TimelineEntry' });

/** Every HTTP route, declared once: the handlers, the CDK stack, the local runtime and OpenAPI all read this. */
export const routes = {
  createCustomer: defineRoute({
    method: 'POST',
    path: '/customers',
    group: 'customers',
    operationId: 'createCustomer',
    summary: 'Create a customer',
    roles: customerWriters,
    body: CustomerInput,
    success: { status: 201, schema: Customer, description: 'The created customer' },
  }),
  listCustomers: defineRoute({
    method: 'GET',
    path: '/customers',
    group: 'customers',
    operationId: 'listCustomers',
    summary: 'List customers, optionally by owner or tag',
    roles: customerReaders,
    query: CustomerListQuery,
    success: { status: 200, schema: page(Customer), description: 'A page of customers' },
  }),
  getCustomer: defineRoute({
    method: 'GET',
    path: '/customers/{id}',
    group: 'customers',
    operationId: 'getCustomer',
    summary: 'Get a customer',
    roles: customerReaders,
    params: CustomerParams,
    success: { status: 200, schema: Customer, description: 'The customer; ETag carries its version' },
  }),
  updateCustomer: defineRoute({
    method: 'PATCH',
    path: '/customers/{id}',
    group: 'customers',
    operationId: 'updateCustomer',
    summary: 'Change some fields of a customer; null clears an optional field',
    roles: customerWriters,
    params: CustomerParams,
    body: CustomerPatch,
    conditional: true,
    success: { status: 200, schema: Customer, description: 'The updated customer' },
  }),
  deleteCustomer: defineRoute({
    method: 'DELETE',
    path: '/customers/{id}',
    group: 'customers',
    operationId: 'deleteCustomer',
    summary: "Erase a customer's personal data",
    roles: customerWriters,
    params: CustomerParams,
    success: { status: 204, description: 'Erased' },
  }),
  customerTimeline: defineRoute({
    method: 'GET',
    path: '/customers/{id}/timeline',
    group: 'customers',
    operationId: 'customerTimeline',
    summary: "A customer's purchases, messages, replies and tasks, newest first",
    roles: customerReaders,
    params: CustomerParams,
    query: ListQuery,
    success: { status: 200, schema: page(TimelineEntry), description: 'A page of timeline entries' },
  }),
  putProduct: defineRoute({
    method: 'PUT',
    path: '/products/{sku}',
    group: 'products',
    operationId: 'putProduct',
    summary: 'Create or replace a product',
    roles: ['admin'],
    params: ProductParams,
    body: ProductInput,
    conditional: true,
    success: { status: 200, schema: Product, description: 'The product (201 when it was created)' },
  }),
  getProduct: defineRoute({
    method: 'GET',
    path: '/products/{sku}',
    group: 'products',
    operationId: 'getProduct',
    summary: 'Get a product',
    roles: everyone,
    params: ProductParams,
    success: { status: 200, schema: Product, description: 'The product' },
  }),
  listProducts: defineRoute({
    method: 'GET',
    path: '/products',
    group: 'products',
    operationId: 'listProducts',
    summary: 'List products',
    roles: everyone,
    query: ListQuery,
    success: { status: 200, schema: page(Product), description: 'A page of products' },
  }),
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
    roles: ['admin', 'marketer', 'sales'],
    params: CustomerParams,
    query: ListQuery,
    success: { status: 200, schema: page(Purchase), description: 'A page of purchases' },
  }),
  openapi: defineRoute({
    method: 'GET',
    path: '/openapi.json',
    group: 'docs',
    operationId: 'openapi',
    summary: 'This OpenAPI document',
    roles: everyone,
    success: { status: 200, description: 'The OpenAPI 3.1 document' },
  }),
} satisfies Record<string, RouteSpec>;

export const allRoutes: RouteSpec[] = Object.values(routes);
