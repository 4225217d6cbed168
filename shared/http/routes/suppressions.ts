import { page } from '../../domain/common.ts';
import {
  Suppression,
  SuppressionInput,
  SuppressionParams,
  SuppressionQuery,
} from '../../domain/suppression.ts';
import { defineRoute, type RouteSpec } from '../route-spec.ts';

/** The suppressions function's routes: the one list of addresses that get no marketing. */
export const suppressionsSpecs = {
  listSuppressions: defineRoute({
    method: 'GET',
    path: '/suppressions',
    group: 'suppressions',
    operationId: 'listSuppressions',
    summary: 'SMS opt-outs, unsubscribes, SES bounces and complaints and manual entries, newest first',
    roles: ['admin', 'marketer', 'service'],
    query: SuppressionQuery,
    success: { status: 200, schema: page(Suppression), description: 'A page of suppressions' },
  }),
  addSuppression: defineRoute({
    method: 'POST',
    path: '/suppressions',
    group: 'suppressions',
    operationId: 'addSuppression',
    summary: 'Suppress an address by hand (200 with the existing entry when it is on the list already)',
    roles: ['admin'],
    body: SuppressionInput,
    success: { status: 201, schema: Suppression, description: 'The new entry' },
  }),
  removeSuppression: defineRoute({
    method: 'DELETE',
    path: '/suppressions/{channel}/{address}',
    group: 'suppressions',
    operationId: 'removeSuppression',
    summary: 'Take an address off the list (URL-encode the + of a phone number as %2B)',
    roles: ['admin'],
    params: SuppressionParams,
    success: { status: 204, description: 'Removed' },
  }),
} satisfies Record<string, RouteSpec>;
