import type { Context } from 'aws-lambda';
import { logger } from '../observability.ts';

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
