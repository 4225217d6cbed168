import type { Context } from 'aws-lambda';
import { lambdaContext } from '../../infra/local/lambda-event.ts';
import type { Role } from '../../shared/domain/principal.ts';
import type { HttpEvent, HttpResponse } from '../../shared/http/request.ts';

export interface EventOptions {
  routeKey: string;
  path?: string;
  pathParameters?: Record<string, string>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: unknown;
  /** Raw body text; wins over `body`. */
  rawBody?: string;
  as?: { sub: string; roles: Role[] } | null;
}

/** An API Gateway HTTP API v2 event as the JWT authorizer would pass it (array claims flattened to "[a b]"). */
export const httpEvent = (options: EventOptions): HttpEvent => {
  const [method = 'GET', routePath = '/'] = options.routeKey.split(' ');
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const principal = options.as === undefined ? { sub: 'u-admin', roles: ['admin'] as Role[] } : options.as;
  return {
    version: '2.0',
    routeKey: options.routeKey,
    rawPath: options.path ?? routePath,
    rawQueryString: new URLSearchParams(options.query).toString(),
    headers: { 'Content-Type': 'application/json', ...options.headers },
    ...(options.query ? { queryStringParameters: options.query } : {}),
    ...(options.pathParameters ? { pathParameters: options.pathParameters } : {}),
    ...(body === undefined ? {} : { body }),
    isBase64Encoded: false,
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'api.example.com',
      domainPrefix: 'api',
      http: {
        method,
        path: options.path ?? routePath,
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'vitest',
      },
      requestId: 'req',
      routeKey: options.routeKey,
      stage: '$default',
      time: '',
      timeEpoch: 0,
      authorizer: {
        principalId: '',
        integrationLatency: 0,
        jwt: {
          claims: principal ? { sub: principal.sub, 'cognito:groups': `[${principal.roles.join(' ')}]` } : {},
          scopes: [],
        },
      },
    },
  };
};

export type Handler = (event: HttpEvent, context: Context) => Promise<HttpResponse> | HttpResponse;

export const invoke = async (handler: unknown, options: EventOptions) => {
  const response = (await (handler as Handler)(httpEvent(options), lambdaContext('test'))) as HttpResponse;
  return {
    status: response.statusCode ?? 200,
    headers: (response.headers ?? {}) as Record<string, string>,
    body: response.body ? JSON.parse(response.body) : undefined,
  };
};
