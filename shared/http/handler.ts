import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import { NotFoundError } from '../domain/errors.ts';
import { logger, metrics } from '../observability.ts';
import type { Clock } from '../ports/clock.ts';
import type { IdempotencyStore } from '../ports/repositories.ts';
import { authorize, parsedOf } from './middleware/authorize.ts';
import { idempotency } from './middleware/idempotency.ts';
import { jsonBody } from './middleware/json-body.ts';
import { problemDetails } from './middleware/problem-details.ts';
import { validate } from './middleware/validate.ts';
import type { HttpEvent, HttpResponse, RouteInput, RouteResult } from './request.ts';
import { type RouteSpec, routeKey } from './route-spec.ts';

export interface RouteImplementation {
  spec: RouteSpec;
  run(input: RouteInput<RouteSpec>): Promise<RouteResult>;
}

/** Pairs a route spec with the code that serves it; the input is typed from the spec's schemas. */
export const implement = <S extends RouteSpec>(
  spec: S,
  run: (input: RouteInput<S>) => Promise<RouteResult>,
): RouteImplementation => ({
  spec,
  run: run as RouteImplementation['run'],
});

const toResponse = (result: RouteResult, html: boolean): HttpResponse => {
  if (result.body === undefined) return { statusCode: result.statusCode, headers: { ...result.headers } };
  return {
    statusCode: result.statusCode,
    headers: { 'content-type': html ? 'text/html; charset=utf-8' : 'application/json', ...result.headers },
    body: html ? String(result.body) : JSON.stringify(result.body),
  };
};

/**
 * Builds the Lambda handler of one function group. Dependencies are made on the first request
 * (once per cold start) by the environment's composition root, so importing a handler has no side effects.
 */
export const createHttpHandler = <Deps extends Partial<{ idempotency: IdempotencyStore; clock: Clock }>>(
  /** This function's route specs (shared/http/routes/<group>.ts), so a bundle holds only its own schemas. */
  routeSpecs: Record<string, RouteSpec>,
  implementations: (deps: Deps) => RouteImplementation[],
  makeDependencies: () => Deps,
) => {
  let wired: { deps: Deps; byKey: Map<string, RouteImplementation> } | undefined;
  const wire = () => {
    if (!wired) {
      const deps = makeDependencies();
      wired = { deps, byKey: new Map(implementations(deps).map((impl) => [routeKey(impl.spec), impl])) };
    }
    return wired;
  };
  const specs = Object.values(routeSpecs);
  const group = specs[0]?.group ?? 'unknown';

  const idempotencyDeps = () => {
    const { idempotency: store, clock } = wire().deps;
    if (!store || !clock)
      throw new Error(`The ${group} function takes POSTs but was wired without an idempotency store`);
    return { idempotency: store, clock };
  };

  const stack = middy<HttpEvent, HttpResponse>()
    .use(problemDetails())
    .use(injectLambdaContext(logger, { resetKeys: true }))
    // Flushes what the invocation counted (EMF), even when it fails.
    .use(logMetrics(metrics))
    .use(httpHeaderNormalizer())
    .use(authorize(specs))
    .use(jsonBody())
    .use(validate());
  if (specs.some((spec) => spec.method === 'POST')) stack.use(idempotency(idempotencyDeps));
  return stack.handler(async (event) => {
    const parsed = parsedOf(event);
    const impl = wire().byKey.get(event.routeKey);
    if (!impl) throw new NotFoundError(`Route ${event.routeKey}`);
    const result = await impl.run({
      principal: parsed.principal,
      body: parsed.body,
      query: parsed.query,
      params: parsed.params,
      expectedVersion: parsed.expectedVersion,
      event,
    } as RouteInput<RouteSpec>);
    return toResponse(result, impl.spec.html === true);
  });
};
