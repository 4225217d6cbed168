import { localParts, zonedToUtc } from './zoned-time.ts';

/** When a salesperson may call a customer: 09:00–18:00, Monday to Friday, in the customer's zone. */
export const BUSINESS_HOURS = { open: 9, close: 18 } as const;

const weekday = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d)).getUTCDay();

/** The instant itself when it falls in business hours, or else the next opening (09:00 of the next business day). */
export const inBusinessHours = (instant: Date, timezone: string): Date => {
  const local = localParts(instant, timezone);
  const day = new Date(Date.UTC(local.year, local.month - 1, local.day));
  const dow = weekday(local.year, local.month, local.day);
  const minutes = local.hour * 60 + local.minute;
  if (dow !== 0 && dow !== 6 && minutes >= BUSINESS_HOURS.open * 60 && minutes < BUSINESS_HOURS.close * 60)
    return instant;
  // Before opening on a weekday: today's opening. Otherwise: the next weekday's.
  if (dow === 0 || dow === 6 || minutes >= BUSINESS_HOURS.close * 60) {
    do day.setUTCDate(day.getUTCDate() + 1);
    while (day.getUTCDay() === 0 || day.getUTCDay() === 6);
  }
  return zonedToUtc(
    {
      year: day.getUTCFullYear(),
      month: day.getUTCMonth() + 1,
      day: day.getUTCDate(),
      hour: BUSINESS_HOURS.open,
      minute: 0,
    },
    timezone,
  );
};

/** The end of the business day an instant falls on (18:00 local), or the instant itself when that is past. */
export const endOfBusinessDay = (instant: Date, timezone: string): Date => {
  const local = localParts(instant, timezone);
  const close = zonedToUtc(
    { year: local.year, month: local.month, day: local.day, hour: BUSINESS_HOURS.close, minute: 0 },
    timezone,
  );
  return close.getTime() > instant.getTime() ? close : instant;
};
