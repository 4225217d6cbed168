import * as z from 'zod';
import { isIanaTimeZone, isLocale } from './time.ts';

export const Id = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'must be a ULID');

/** Input timestamps must carry an offset or Z, so no instant is ever guessed. */
export const OffsetTimestamp = z.iso.datetime({
  offset: true,
  error: 'must be an ISO-8601 timestamp with an offset or Z',
});
export const UtcTimestamp = z.iso.datetime();

export const TimeZone = z.string().refine(isIanaTimeZone, 'must be an IANA time zone such as Asia/Shanghai');
export const Locale = z.string().refine(isLocale, 'must be a BCP 47 language tag such as zh-CN');

export const Sku = z
  .string()
  .regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1-64 letters, digits, dots, dashes or underscores');

export const Version = z.number().int().positive();

export const ListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().min(1).optional(),
});

export const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().optional() });

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}
