import type { z } from 'zod';
import type { Role } from '../domain/principal.ts';

/** The Lambda function that serves a route; CDK makes one NodejsFunction per group. */
export type FunctionGroup =
  | 'customers'
  | 'products'
  | 'purchases'
  | 'pipeline'
  | 'tasks'
  | 'automation'
  | 'campaigns'
  | 'unsubscribe'
  | 'satisfaction'
  | 'leads'
  | 'reports'
  | 'suppressions'
  | 'sms-inbound-aliyun'
  | 'docs'
  | 'imports';

export interface RouteSpec<
  Body extends z.ZodType | undefined = z.ZodType | undefined,
  Query extends z.ZodType | undefined = z.ZodType | undefined,
  Params extends z.ZodType | undefined = z.ZodType | undefined,
> {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** API Gateway path syntax, e.g. /customers/{id}. */
  path: string;
  group: FunctionGroup;
  operationId: string;
  summary: string;
  roles: readonly Role[];
  body?: Body;
  query?: Query;
  params?: Params;
  /** Documented success status and schema (for OpenAPI). */
  success: { status: number; schema?: z.ZodType; description: string };
  /** The body may be left out (an empty body reads as `{}`). */
  bodyOptional?: boolean;
  /** Whether If-Match is honoured. */
  conditional?: boolean;
  /** No token needed (links in messages); everything else requires a JWT. */
  public?: boolean;
  /** Responds with HTML rather than JSON. */
  html?: boolean;
}

export const routeKey = (spec: Pick<RouteSpec, 'method' | 'path'>) => `${spec.method} ${spec.path}`;

export const defineRoute = <
  Body extends z.ZodType | undefined = undefined,
  Query extends z.ZodType | undefined = undefined,
  Params extends z.ZodType | undefined = undefined,
>(
  spec: RouteSpec<Body, Query, Params>,
) => spec;
