import type { MiddlewareObj } from '@middy/core';
import { ForbiddenError, NotFoundError, UnauthorizedError } from '../../domain/errors.ts';
import { principalFromClaims } from '../auth.ts';
import type { HttpEvent, HttpResponse, ParsedRequest } from '../request.ts';
import type { RouteSpec } from '../route-spec.ts';
import { routeKey } from '../route-spec.ts';

export type ParsedEvent = HttpEvent & { parsed: ParsedRequest };

/** The parsed request, set by `authorize`, which runs before every other request middleware. */
export const parsedOf = (event: HttpEvent): ParsedRequest => (event as ParsedEvent).parsed;

/** Finds the route, then checks who is calling (401) and whether their role may call it (403). */
export const authorize = (routes: RouteSpec[]): MiddlewareObj<HttpEvent, HttpResponse> => {
  const byKey = new Map(routes.map((route) => [routeKey(route), route]));
  return {
    before: ({ event }) => {
      const route = byKey.get(event.routeKey);
      if (!route) throw new NotFoundError(`Route ${event.routeKey}`);
      if (route.public) {
        (event as ParsedEvent).parsed = { route, principal: { sub: 'anonymous', roles: [] } };
        return;
      }
      const principal = principalFromClaims(event.requestContext?.authorizer?.jwt?.claims);
      if (!principal) throw new UnauthorizedError();
      if (!principal.roles.some((role) => route.roles.includes(role))) throw new ForbiddenError();
      (event as ParsedEvent).parsed = { route, principal };
    },
  };
};
