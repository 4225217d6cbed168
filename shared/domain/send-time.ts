import { addDays, localDate, localParts, minutesOfDay, parseClock, zonedToUtc } from './zoned-time.ts';

/** A daily window of local clock times, start inclusive, end exclusive ("09:00"–"20:00"). */
export interface DailyWindow {
  start: string;
  end: string;
}

const atLocal = (date: string, clock: string, timezone: string): Date => {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return zonedToUtc({ year, month, day, ...parseClock(clock) }, timezone);
};

/** Whether an instant falls inside the window in the recipient's local time. */
export const inWindow = (instant: Date, timezone: string, window: DailyWindow): boolean => {
  const { hour, minute } = localParts(instant, timezone);
  const minutes = hour * 60 + minute;
  return minutes >= minutesOfDay(window.start) && minutes < minutesOfDay(window.end);
};

/**
 * The earliest instant at or after `instant` that falls inside the window in `timezone`: the
 * instant itself when it is inside, today's start when it is before, else tomorrow's start.
 */
export const nextInWindow = (instant: Date, timezone: string, window: DailyWindow): Date => {
  if (inWindow(instant, timezone, window)) return instant;
  const today = localDate(instant, timezone);
  const { hour, minute } = localParts(instant, timezone);
  const before = hour * 60 + minute < minutesOfDay(window.start);
  const candidate = atLocal(before ? today : addDays(today, 1), window.start, timezone);
  // A DST gap can push a start past the window's end; the next day's start is then the answer.
  return inWindow(candidate, timezone, window)
    ? candidate
    : atLocal(addDays(today, 2), window.start, timezone);
};

/** The window's start on the local day after the instant's: where a capped message goes. */
export const nextDayInWindow = (instant: Date, timezone: string, window: DailyWindow): Date =>
  nextInWindow(atLocal(addDays(localDate(instant, timezone), 1), window.start, timezone), timezone, window);

/**
 * A campaign's window narrowed by a provider's quiet hours (e.g. Alibaba Cloud: no marketing SMS
 * 20:00–08:00). Quiet hours that wrap midnight leave [end, start) allowed. When nothing of the
 * window is left, the campaign's own window stands: a message should be late, not never.
 */
export const narrowByQuietHours = (window: DailyWindow, quiet: DailyWindow | undefined): DailyWindow => {
  if (!quiet) return window;
  const wraps = minutesOfDay(quiet.start) > minutesOfDay(quiet.end);
  if (!wraps) return window;
  const start = Math.max(minutesOfDay(window.start), minutesOfDay(quiet.end));
  const end = Math.min(minutesOfDay(window.end), minutesOfDay(quiet.start));
  if (start >= end) return window;
  const clock = (m: number) =>
    `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  return { start: clock(start), end: clock(end) };
};
