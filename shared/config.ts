import * as z from 'zod';
import { isIanaTimeZone } from './domain/time.ts';

const base = {
  /** Messages one broadcast sender instance sends per second (SES and SNS have account rates). */
  SEND_RATE_PER_SECOND: z.coerce.number().positive().max(1000).default(10),
  DEFAULT_TIMEZONE: z.string().refine(isIanaTimeZone, 'must be an IANA time zone'),
  DEFAULT_PHONE_COUNTRY: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .optional(),
};

/** Variables a function needs only for a capability; CrmFunction sets each together with its grant. */
const capabilities = {
  /** CURSOR_KEY signs list cursors; unset, a key derived from the table name is used (see createTable). */
  table: { TABLE_NAME: z.string().min(1), CURSOR_KEY: z.string().min(32).optional() },
  events: { EVENT_BUS_NAME: z.string().min(1) },
  email: { EMAIL_FROM: z.email(), SES_CONFIGURATION_SET: z.string().min(1).optional() },
  sms: { SMS_ORIGINATION_NUMBER: z.string().regex(/^\+[1-9]\d{6,14}$/) },
  scheduler: {
    SCHEDULE_GROUP: z.string().min(1),
    SCHEDULER_ROLE_ARN: z.string().startsWith('arn:'),
    SCHEDULER_DLQ_ARN: z.string().startsWith('arn:'),
    DELIVER_TOUCHPOINT_ARN: z.string().startsWith('arn:'),
    RUN_BROADCAST_ARN: z.string().startsWith('arn:'),
    BROADCAST_QUEUE_ARN: z.string().startsWith('arn:'),
  },
  signer: { UNSUBSCRIBE_KEY_ID: z.string().min(1), PUBLIC_BASE_URL: z.url() },
  queue: { SEND_QUEUE_URL: z.url() },
  segments: { SEGMENT_QUEUE_URL: z.url() },
  uploads: { UPLOAD_BUCKET: z.string().min(3) },
  bulk: { BULK_QUEUE_URL: z.url() },
};
export type Capability = keyof typeof capabilities;

const all = z.object({
  ...base,
  ...capabilities.table,
  ...capabilities.events,
  ...capabilities.email,
  ...capabilities.sms,
  ...capabilities.scheduler,
  ...capabilities.signer,
  ...capabilities.queue,
  ...capabilities.segments,
  ...capabilities.uploads,
  ...capabilities.bulk,
});
export type Config = z.infer<typeof all>;

/**
 * The one config reader. It fails at cold start, naming every missing or bad variable, instead of
 * on some later request. Capabilities a function was not given stay unset.
 */
export const readConfig = (
  env: Record<string, string | undefined> = process.env,
  needs: readonly Capability[] = [],
): Config => {
  const shape = Object.assign({}, base, ...needs.map((capability) => capabilities[capability]));
  const result = z.object(shape).safeParse(env);
  if (!result.success) {
    const problems = result.error.issues
      .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
      .join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  return result.data as Config;
};
