import type { Context } from 'aws-lambda';
import { logger } from '../observability.ts';
import type { BusEvent } from './domain-event.ts';
import { type ItemLoader, loadOversized } from './oversized.ts';

/**
 * Wraps a non-HTTP Lambda handler: dependencies are made on the first invocation (once per cold
 * start) by the environment's composition root, and logs carry the invocation's context.
 */
export const createEventHandler = <Deps, Event, Result>(
  makeDependencies: () => Deps,
  run: (deps: Deps, event: Event) => Promise<Result>,
) => {
  let deps: Deps | undefined;
  return async (event: Event, context?: Context): Promise<Result> => {
    deps ??= makeDependencies();
    if (context) logger.addContext(context);
    try {
      return await run(deps, event);
    } finally {
      logger.resetKeys();
    }
  };
};

/**
 * A rule target's handler: like createEventHandler, and an oversized event (published as a
 * reference) gets its entity loaded before the use case sees it.
 */
export const createBusEventHandler = <Deps extends { items: ItemLoader }, Result>(
  makeDependencies: () => Deps,
  run: (deps: Deps, event: BusEvent) => Promise<Result>,
) =>
  createEventHandler(makeDependencies, async (deps, event: BusEvent) =>
    run(deps, await loadOversized(deps.items, event)),
  );
