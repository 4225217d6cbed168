import { defineRoute, type RouteSpec } from '../route-spec.ts';

import { TokenParams } from './common.ts';

/** The unsubscribe function's routes. */
export const unsubscribeSpecs = {
  unsubscribePage: defineRoute({
    method: 'GET',
    path: '/unsubscribe/{token}',
    group: 'unsubscribe',
    operationId: 'unsubscribePage',
    summary: 'The page behind an unsubscribe link; asks to confirm',
    roles: [],
    public: true,
    html: true,
    params: TokenParams,
    success: { status: 200, description: 'An HTML page' },
  }),
  unsubscribe: defineRoute({
    method: 'POST',
    path: '/unsubscribe/{token}',
    group: 'unsubscribe',
    operationId: 'unsubscribe',
    summary: 'Opt out (the page button, or RFC 8058 one-click)',
    roles: [],
    public: true,
    html: true,
    params: TokenParams,
    success: { status: 200, description: 'An HTML confirmation' },
  }),
} satisfies Record<string, RouteSpec>;
