import { PreconditionFailedError } from '../domain/errors.ts';

const MAX_ATTEMPTS = 3;

/**
 * Read-modify-write with optimistic concurrency. With If-Match (`expectedVersion`) a stale version
 * is 412 at once; without it a lost race is retried, since the caller asked for "last write wins".
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
  }
};
