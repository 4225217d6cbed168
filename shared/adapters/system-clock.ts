import type { Clock } from '../ports/clock.ts';

/** The wall clock, for AWS. The local runtime and the tests use a virtual clock instead. */
export const systemClock: Clock = { now: () => new Date() };
