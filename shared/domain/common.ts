import * as z from 'zod';
import { isIanaTimeZone, isLocale } from './time.ts';

export const Id = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'must be a ULID');

/**
 * Instants the CRM accepts: 2000-01-01 up to (not including) 2100-01-01 UTC. A purchase dated 9999
 * would plan touchpoints no scheduler can hold, so such dates stop at the edge.
 */
export const EARLIEST_INSTANT = '2000-01-01T00:00:00Z';
export const LATEST_INSTANT = '2100-01-01T00:00:00Z';
const inSaneRange = (timestamp: string) => {
  const ms = Date.parse(timestamp);
  return ms >= Date.parse(EARLIEST_INSTANT) && ms < Date.parse(LATEST_INSTANT);
};
const RANGE_MESSAGE = 'must be between 2000-01-01 and 2099-12-31';

/** Input timestamps must carry an offset or Z, so no instant is ever guessed. */
export const OffsetTimestamp = z.iso
  .datetime({ offset: true, error: 'must be an ISO-8601 timestamp with an offset or Z' })
  .refine(inSaneRange, RANGE_MESSAGE);

/** A calendar date in the same range, e.g. 2026-12-31. */
export const CalendarDate = z.iso
  .date({ error: 'must be a date such as 2026-12-31', abort: true })
  .refine((date) => inSaneRange(`${date}T00:00:00Z`), RANGE_MESSAGE);
export const UtcTimestamp = z.iso.datetime();

export const TimeZone = z.string().refine(isIanaTimeZone, 'must be an IANA time zone such as Asia/Shanghai');
export const Locale = z.string().refine(isLocale, 'must be a BCP 47 language tag such as zh-CN');

export const Sku = z
  .string()
  .regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1-64 letters, digits, dots, dashes or underscores');

export const Version = z.number().int().positive();

export const ListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().min(1).max(2048).optional(),
});

export const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().optional() });

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}
