import { monotonicFactory } from 'ulid';
import type { Clock, Ids } from '../ports/clock.ts';

export const ulidIds = (clock: Clock): Ids => {
  const next = monotonicFactory();
  return { next: () => next(clock.now().getTime()) };
};

export const systemClock: Clock = { now: () => new Date() };
