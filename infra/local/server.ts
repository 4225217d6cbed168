import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import * as z from 'zod';
import {
  NotFoundError,
  PayloadTooLargeError,
  UnauthorizedError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../../shared/domain/errors.ts';
import { roles } from '../../shared/domain/principal.ts';
import { fieldErrorsOf, problemResponse, toProblem } from '../../shared/http/problem.ts';
import type { HttpResponse } from '../../shared/http/request.ts';
import type { FunctionGroup } from '../../shared/http/route-spec.ts';
import { routeKey } from '../../shared/http/route-spec.ts';
import { allRoutes } from '../../shared/http/routes/index.ts';
import type { Invoke } from './http-functions.ts';
import { toHttpEvent } from './lambda-event.ts';
import type { LocalTokens } from './tokens.ts';

/** API Gateway's own payload limit; the functions enforce the API's smaller one. */
const GATEWAY_MAX_BYTES = 10 * 1024 * 1024;

const compiled = allRoutes.map((route) => {
  const names: string[] = [];
  const pattern = route.path.replace(/\{(\w+)\}/g, (_match, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { route, key: routeKey(route), regex: new RegExp(`^${pattern}$`), names };
});

/** A malformed escape such as `%E0%A4%A` is the client's mistake: 400 naming the parameter, as API Gateway answers. */
const decodePathSegment = (name: string, segment: string) => {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw ValidationError.field(`params.${name}`, 'is not a valid percent-encoded path segment');
  }
};

const match = (method: string, path: string) => {
  for (const candidate of compiled) {
    if (candidate.route.method !== method) continue;
    const found = candidate.regex.exec(path);
    if (!found) continue;
    const params = Object.fromEntries(
      candidate.names.map((name, i) => [name, decodePathSegment(name, found[i + 1] ?? '')]),
    );
    return { ...candidate, params };
  }
  return undefined;
};

const readBody = (request: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > GATEWAY_MAX_BYTES) {
        reject(new PayloadTooLargeError(GATEWAY_MAX_BYTES));
        request.resume();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });

const send = (response: ServerResponse, result: HttpResponse) => {
  response.writeHead(result.statusCode ?? 200, result.headers as Record<string, string>);
  response.end(result.body ?? '');
};

export const json = (statusCode: number, body: unknown): HttpResponse => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

const TokenRequest = z.strictObject({ role: z.enum(roles), sub: z.string().min(1).max(128).optional() });

/** Routes that exist only on this machine, never in AWS. */
export type LocalRoute = (request: { body: unknown; query: URLSearchParams }) => Promise<HttpResponse>;

const parseJson = (body: string, contentType: string | undefined): unknown => {
  if (body.trim() === '') return {};
  if (!contentType?.toLowerCase().startsWith('application/json')) throw new UnsupportedMediaTypeError();
  try {
    return JSON.parse(body);
  } catch {
    throw ValidationError.field('(body)', 'is not valid JSON');
  }
};

/** `PUT /_local/uploads/{key}`: what a presigned S3 URL is in AWS. */
export type LocalUpload = (
  key: string,
  body: string,
  contentType: string | undefined,
) => Promise<HttpResponse>;
const UPLOADS = '/_local/uploads/';

export const createLocalServer = (options: {
  functions: Record<FunctionGroup, Invoke>;
  tokens: LocalTokens;
  localRoutes?: Record<string, LocalRoute>;
  /** The web console's static files at `/` (see console-files.ts). */
  staticFiles?: (method: string, pathname: string) => HttpResponse | undefined;
  upload?: LocalUpload;
}): Server => {
  const localRoutes: Record<string, LocalRoute> = {
    'POST /_local/token': async ({ body }) => {
      const parsed = TokenRequest.safeParse(body);
      if (!parsed.success) throw new ValidationError(fieldErrorsOf(parsed.error));
      const sub = parsed.data.sub ?? `local-${parsed.data.role}`;
      return json(200, { token: await options.tokens.issue({ sub, roles: [parsed.data.role] }) });
    },
    ...options.localRoutes,
  };

  const handle = async (request: IncomingMessage): Promise<HttpResponse> => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const method = request.method ?? 'GET';
    const body = await readBody(request);
    if (method === 'PUT' && url.pathname.startsWith(UPLOADS) && options.upload)
      return options.upload(
        decodePathSegment('key', url.pathname.slice(UPLOADS.length)),
        body,
        request.headers['content-type'],
      );
    const local = localRoutes[`${method} ${url.pathname}`];
    if (local)
      return local({ body: parseJson(body, request.headers['content-type']), query: url.searchParams });
    const file = options.staticFiles?.(method, url.pathname);
    if (file) return file;

    const found = match(method, url.pathname);
    if (!found) throw new NotFoundError(`Route ${method} ${url.pathname}`);
    // Like API Gateway's JWT authorizer: an invalid or missing token never reaches the function.
    const token = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '')?.[1];
    const claims = token ? await options.tokens.verify(token) : undefined;
    if (!claims && !found.route.public) throw new UnauthorizedError();
    const event = toHttpEvent({
      request,
      url,
      routeKey: found.key,
      pathParameters: found.params,
      body,
      claims,
    });
    return options.functions[found.route.group](event);
  };

  return createServer((request, response) => {
    handle(request)
      .then((result) => send(response, result))
      .catch((error: unknown) => send(response, problemResponse(toProblem(error))));
  });
};
