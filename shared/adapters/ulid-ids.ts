import { monotonicFactory } from 'ulid';
import type { Clock, Ids } from '../ports/clock.ts';

/** ULIDs stamped with the given clock's time (virtual time locally), monotonic within one instance. */
export const ulidIds = (clock: Clock): Ids => {
  const next = monotonicFactory();
  return { next: () => next(clock.now().getTime()) };
};
