import type { Clock } from '../../../shared/ports/clock.ts';

/** Real time plus an offset that `POST /_local/clock` moves forward, so months pass in a request. */
export const virtualClock = () => {
  let offsetMs = 0;
  return {
    now: () => new Date(Date.now() + offsetMs),
    advance(ms: number) {
      offsetMs += Math.max(0, ms);
    },
    set(to: Date) {
      offsetMs = Math.max(offsetMs, to.getTime() - Date.now());
    },
  } satisfies Clock & Record<string, unknown>;
};
export type VirtualClock = ReturnType<typeof virtualClock>;
