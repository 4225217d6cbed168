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
  table: { TABLE_NAME: z.string().min(1) },
  events: { EVENT_BUS_NAME: z.string().min(1) },
  email: { EMAIL_FROM: z.email(), SES_CONFIGURATION_SET: z.string().min(1).optional() },
  sms: {
    /** aws: End User Messaging through SNS (the default); aliyun: Alibaba Cloud SMS, for mainland China. */
    SMS_PROVIDER: z.enum(['aws', 'aliyun']).default('aws'),
    SMS_ORIGINATION_NUMBER: z
      .string()
      .regex(/^\+[1-9]\d{6,14}$/)
      .optional(),
    ALIYUN_SMS_SIGN_NAME: z.string().min(2).max(32).optional(),
    /** Template codes (SMS_123…) whose text is `${content}`: one verification/notice, one marketing. */
    ALIYUN_SMS_TEMPLATE_TRANSACTIONAL: z.string().min(1).optional(),
    ALIYUN_SMS_TEMPLATE_PROMOTIONAL: z.string().min(1).optional(),
    /** Secrets Manager secret holding {"accessKeyId","accessKeySecret"} of a RAM user allowed dysms:SendSms. */
    ALIYUN_CREDENTIALS_SECRET_ARN: z.string().startsWith('arn:').optional(),
  },
  /** The secret in the path of Alibaba Cloud's SmsUp push URL. */
  aliyunPush: { ALIYUN_PUSH_SECRET_ARN: z.string().startsWith('arn:') },
  scheduler: {
    SCHEDULE_GROUP: z.string().min(1),
    SCHEDULER_ROLE_ARN: z.string().startsWith('arn:'),
    SCHEDULER_DLQ_ARN: z.string().startsWith('arn:'),
    DELIVER_TOUCHPOINT_ARN: z.string().startsWith('arn:'),
    RUN_BROADCAST_ARN: z.string().startsWith('arn:'),
  },
  signer: { UNSUBSCRIBE_KEY_ID: z.string().min(1), PUBLIC_BASE_URL: z.url() },
  queue: { SEND_QUEUE_URL: z.url() },
};
export type Capability = keyof typeof capabilities;

const all = z.object({
  ...base,
  ...capabilities.table,
  ...capabilities.events,
  ...capabilities.email,
  ...capabilities.sms,
  ...capabilities.aliyunPush,
  ...capabilities.scheduler,
  ...capabilities.signer,
  ...capabilities.queue,
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
  const result = z
    .object(shape)
    .superRefine((config, ctx) => {
      if (!needs.includes('sms')) return;
      const required =
        config.SMS_PROVIDER === 'aliyun'
          ? [
              'ALIYUN_SMS_SIGN_NAME',
              'ALIYUN_SMS_TEMPLATE_TRANSACTIONAL',
              'ALIYUN_SMS_TEMPLATE_PROMOTIONAL',
              'ALIYUN_CREDENTIALS_SECRET_ARN',
            ]
          : ['SMS_ORIGINATION_NUMBER'];
      for (const name of required)
        if (!config[name])
          ctx.addIssue({
            code: 'custom',
            path: [name],
            message: `is required with SMS_PROVIDER=${config.SMS_PROVIDER}`,
          });
    })
    .safeParse(env);
  if (!result.success) {
    const problems = result.error.issues
      .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
      .join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  return result.data as Config;
};

/** The SMS provider settings the local runtime reads from its environment (CDK context in AWS). */
export const readLocalSmsSettings = (env: Record<string, string | undefined> = process.env) => {
  const provider = env.SMS_PROVIDER === 'aliyun' ? 'aliyun' : 'aws';
  return {
    provider,
    signName: env.ALIYUN_SMS_SIGN_NAME ?? '乒乓之家',
    templates: {
      transactional: env.ALIYUN_SMS_TEMPLATE_TRANSACTIONAL ?? 'SMS_LOCAL_NOTICE',
      promotional: env.ALIYUN_SMS_TEMPLATE_PROMOTIONAL ?? 'SMS_LOCAL_MARKETING',
    },
    pushSecret: env.ALIYUN_PUSH_SECRET,
  } as const;
};
