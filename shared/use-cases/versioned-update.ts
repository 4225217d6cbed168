import { PreconditionFailedError } from '../domain/errors.ts';

/**
 * Enough attempts for a burst of concurrent writers to one item (each round lets at least one
 * through); with the capped backoff below a request gives up after a few seconds at worst.
 */
const MAX_ATTEMPTS = 40;
const BASE_DELAY_MS = 5;
const MAX_DELAY_MS = 200;

/** "Full jitter" exponential backoff, so losers of a race do not collide again in lockstep. */
const backoff = (attempt: number) =>
  new Promise((resolve) =>
    setTimeout(resolve, Math.random() * Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt)),
  );

/**
 * Read-modify-write with optimistic concurrency. With If-Match (`expectedVersion`) a stale version
 * is 412 at once; without it a lost race re-reads and re-applies the change until the versioned
 * write lands, so concurrent patches of different fields all apply.
 */
export const updateVersioned = async <T extends { version: number; updatedAt: string }>(options: {
  load: () => Promise<T>;
  change: (current: T) => T;
  save: (current: T, next: T) => Promise<boolean>;
  expectedVersion: number | undefined;
  now: () => string;
}): Promise<T> => {
  for (let attempt = 1; ; attempt++) {
    const current = await options.load();
    if (options.expectedVersion !== undefined && current.version !== options.expectedVersion) {
      throw new PreconditionFailedError(current.version);
    }
    const next = { ...options.change(current), updatedAt: options.now(), version: current.version + 1 };
    if (await options.save(current, next)) return next;
    if (options.expectedVersion !== undefined || attempt >= MAX_ATTEMPTS) {
      throw new PreconditionFailedError((await options.load()).version);
    }
    await backoff(attempt);
  }
};
