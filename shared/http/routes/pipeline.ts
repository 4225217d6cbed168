import { page } from '../../domain/common.ts';
import {
  Opportunity,
  OpportunityInput,
  OpportunityListQuery,
  OpportunityPatch,
} from '../../domain/opportunity.ts';
import { Order, OrderListQuery, OrderPatch } from '../../domain/order.ts';
import { defineRoute, type RouteSpec } from '../route-spec.ts';

import { customerWriters, IdParams, pipelineReaders } from './common.ts';

/** The pipeline function's routes. */
export const pipelineSpecs = {
  createOpportunity: defineRoute({
    method: 'POST',
    path: '/opportunities',
    group: 'pipeline',
    operationId: 'createOpportunity',
    summary: 'Create an opportunity for a customer',
    roles: customerWriters,
    body: OpportunityInput,
    success: { status: 201, schema: Opportunity, description: 'The created opportunity' },
  }),
  listOpportunities: defineRoute({
    method: 'GET',
    path: '/opportunities',
    group: 'pipeline',
    operationId: 'listOpportunities',
    summary: 'List opportunities, optionally of one customer',
    roles: pipelineReaders,
    query: OpportunityListQuery,
    success: { status: 200, schema: page(Opportunity), description: 'A page of opportunities' },
  }),
  getOpportunity: defineRoute({
    method: 'GET',
    path: '/opportunities/{id}',
    group: 'pipeline',
    operationId: 'getOpportunity',
    summary: 'Get an opportunity',
    roles: pipelineReaders,
    params: IdParams,
    success: { status: 200, schema: Opportunity, description: 'The opportunity' },
  }),
  updateOpportunity: defineRoute({
    method: 'PATCH',
    path: '/opportunities/{id}',
    group: 'pipeline',
    operationId: 'updateOpportunity',
    summary: 'Change an opportunity, e.g. move it to won',
    roles: customerWriters,
    params: IdParams,
    body: OpportunityPatch,
    conditional: true,
    success: { status: 200, schema: Opportunity, description: 'The updated opportunity' },
  }),
  listOrders: defineRoute({
    method: 'GET',
    path: '/orders',
    group: 'pipeline',
    operationId: 'listOrders',
    summary: 'List orders, optionally of one customer',
    roles: pipelineReaders,
    query: OrderListQuery,
    success: { status: 200, schema: page(Order), description: 'A page of orders' },
  }),
  getOrder: defineRoute({
    method: 'GET',
    path: '/orders/{id}',
    group: 'pipeline',
    operationId: 'getOrder',
    summary: 'Get an order',
    roles: pipelineReaders,
    params: IdParams,
    success: { status: 200, schema: Order, description: 'The order' },
  }),
  updateOrder: defineRoute({
    method: 'PATCH',
    path: '/orders/{id}',
    group: 'pipeline',
    operationId: 'updateOrder',
    summary: "Change an order's status",
    roles: customerWriters,
    params: IdParams,
    body: OrderPatch,
    conditional: true,
    success: { status: 200, schema: Order, description: 'The updated order' },
  }),
} satisfies Record<string, RouteSpec>;
