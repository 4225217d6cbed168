import * as z from 'zod';
import { ListQuery, page } from '../../domain/common.ts';
import {
  Customer,
  CustomerInput,
  CustomerListQuery,
  CustomerParams,
  CustomerPatch,
} from '../../domain/customer.ts';
import { defineRoute, type RouteSpec } from '../route-spec.ts';

import { customerReaders, customerWriters } from './common.ts';

const TimelineEntry = z
  .object({
    type: z.enum(['purchase', 'task', 'message', 'email-feedback', 'satisfaction', 'activity']),
    at: z.iso.datetime(),
    id: z.string(),
    data: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'TimelineEntry' });

/** The customers function's routes. */
export const customersSpecs = {
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
} satisfies Record<string, RouteSpec>;
