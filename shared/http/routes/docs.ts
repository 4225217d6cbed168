import { defineRoute, type RouteSpec } from '../route-spec.ts';

import { everyone } from './common.ts';

/** The docs function's routes. */
export const docsSpecs = {
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
