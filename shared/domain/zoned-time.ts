/**
 * Local wall-clock time in an IANA zone ⇄ UTC instants, with Intl only.
 *
 * DST rule (the same as Temporal's "compatible" disambiguation):
 * - a local time that does not exist (spring-forward gap) moves forward by the gap's length,
 *   e.g. 02:30 on a night that jumps 02:00 → 03:00 becomes 03:30;
 * - a local time that happens twice (fall-back overlap) is the earlier of the two instants.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

const formatter = (timeZone: string) => {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, format);
  }
  return format;
};

export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

export const localParts = (instant: Date, timeZone: string): LocalDateTime & { second: number } => {
  const parts = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(instant)
      .map((p) => [p.type, Number(p.value)]),
  );
  return {
    year: parts.year as number,
    month: parts.month as number,
    day: parts.day as number,
    hour: parts.hour as number,
    minute: parts.minute as number,
    second: parts.second as number,
  };
};

/** The zone's offset from UTC at an instant, in milliseconds. */
const offsetAt = (epochMs: number, timeZone: string): number => {
  const p = localParts(new Date(epochMs), timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(epochMs / 1000) * 1000;
};

export const zonedToUtc = (local: LocalDateTime, timeZone: string): Date => {
  const asUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
  const DAY = 86_400_000;
  const before = offsetAt(asUtc - DAY, timeZone);
  const after = offsetAt(asUtc + DAY, timeZone);
  const candidates = [...new Set([asUtc - before, asUtc - after])]
    .filter((instant) => offsetAt(instant, timeZone) === asUtc - instant)
    .sort((a, b) => a - b);
  // Overlap: two valid instants, take the earlier. Gap: none valid, keep the pre-transition offset.
  return new Date(candidates[0] ?? asUtc - before);
};

/** The local calendar date of an instant in a zone, as YYYY-MM-DD. */
export const localDate = (instant: Date, timeZone: string): string => {
  const p = localParts(instant, timeZone);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
};

export const addDays = (date: string, days: number): string => {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
};

export const parseClock = (hhmm: string): { hour: number; minute: number } => {
  const [hour = 0, minute = 0] = hhmm.split(':').map(Number);
  return { hour, minute };
};

export const minutesOfDay = (hhmm: string) => {
  const { hour, minute } = parseClock(hhmm);
  return hour * 60 + minute;
};

/** An instant as local wall-clock time in a zone, yyyy-mm-ddThh:mm:00, the form Scheduler's at() takes. */
export const localMinute = (instant: Date, timeZone: string): string => {
  const p = localParts(instant, timeZone);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:00`;
};
