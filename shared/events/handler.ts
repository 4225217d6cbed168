import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { logger, metrics } from '../observability.ts';
import type { BusEvent } from './domain-event.ts';
import { type ItemLoader, loadOversized } from './oversized.ts';

/**
 * Wraps a non-HTTP Lambda handler: dependencies are made on the first invocation (once per cold
 * start) by the environment's composition root, logs carry the invocation's context, and the
 * metrics it counted are flushed at the end of every invocation (Powertools' middy middleware).
 * `run` gets the invocation's remaining time, so long work can stop before Lambda stops it.
 */
export const createEventHandler = <Deps, Event, Result>(
  makeDependencies: () => Deps,
  run: (deps: Deps, event: Event, remainingMs: () => number) => Promise<Result>,
) => {
  let deps: Deps | undefined;
  return middy<Event, Result, Error, Context>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics))
    .handler(async (event, context) => {
      deps ??= makeDependencies();
      const remainingMs = () =>
        typeof context?.getRemainingTimeInMillis === 'function'
          ? context.getRemainingTimeInMillis()
          : Number.POSITIVE_INFINITY;
      return run(deps, event, remainingMs);
    });
};

/**
 * A rule target's handler: like createEventHandler, and an oversized event (published as a
 * reference) gets its entity loaded before the use case sees it.
 */
export const createBusEventHandler = <Deps extends { items: ItemLoader }, Result>(
  makeDependencies: () => Deps,
  run: (deps: Deps, event: BusEvent, remainingMs: () => number) => Promise<Result>,
) =>
  createEventHandler(makeDependencies, async (deps, event: BusEvent, remainingMs) =>
    run(deps, await loadOversized(deps.items, event), remainingMs),
  );
