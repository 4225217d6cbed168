import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { z } from 'zod';
import type { Principal } from '../domain/principal.ts';
import type { RouteSpec } from './route-spec.ts';

export type HttpEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export type HttpResponse = APIGatewayProxyStructuredResultV2;

/** What the middleware stack has worked out about a request before its route runs. */
export interface ParsedRequest {
  route: RouteSpec;
  principal: Principal;
  rawBody?: unknown;
  body?: unknown;
  query?: unknown;
  params?: unknown;
  expectedVersion?: number;
}

type Infer<T> = T extends z.ZodType ? z.output<T> : undefined;

export interface RouteInput<S extends RouteSpec> {
  principal: Principal;
  body: Infer<NonNullable<S['body']>>;
  query: Infer<NonNullable<S['query']>>;
  params: Infer<NonNullable<S['params']>>;
  expectedVersion: number | undefined;
  event: HttpEvent;
}

export interface RouteResult {
  statusCode: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export const ok = (body: unknown, headers?: Record<string, string>): RouteResult => ({
  statusCode: 200,
  body,
  ...(headers ? { headers } : {}),
});
export const created = (body: unknown, headers?: Record<string, string>): RouteResult => ({
  statusCode: 201,
  body,
  ...(headers ? { headers } : {}),
});
export const noContent = (): RouteResult => ({ statusCode: 204 });

/** Versions travel as weak-free ETags: "3". */
export const etag = (version: number) => ({ etag: `"${version}"` });
