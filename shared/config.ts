import { z } from 'zod';
import { isIanaTimeZone } from './domain/time.ts';

const Environment = z.object({
  TABLE_NAME: z.string().min(1),
  DEFAULT_TIMEZONE: z.string().refine(isIanaTimeZone, 'must be an IANA time zone'),
  DEFAULT_PHONE_COUNTRY: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .optional(),
  DYNAMODB_ENDPOINT: z.url().optional(),
});
export type Config = z.infer<typeof Environment>;

/** The one config reader. It fails at cold start, naming every missing or bad variable, instead of on some later request. */
export const readConfig = (env: Record<string, string | undefined> = process.env): Config => {
  const result = Environment.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues
      .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
      .join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  return result.data;
};
