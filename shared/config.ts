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
  ...capabilities.aliyunPush,
  ...capabilities.scheduler,
  ...capabilities.signer,
  ...capabilities.queue,
  ...capabilities.segments,
  ...capabilities.uploads,
  ...capabilities.bulk,
});
export type Config = z.infer<typeof all>;

type Environment = Record<string, string | undefined>;

/** The only read of process.env in the code base; everything else asks one of the readers below. */
const environment = (): Environment => process.env;

const parse = <S extends z.ZodType>(schema: S, env: Environment): z.infer<S> => {
  const result = schema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues
      .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
      .join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  return result.data;
};

/**
 * The one config reader for functions. It fails at cold start, naming every missing or bad
 * variable, instead of on some later request. Capabilities a function was not given stay unset.
 */
export const readConfig = (env: Environment = environment(), needs: readonly Capability[] = []): Config =>
  parse(
    z
      .object(Object.assign({}, base, ...needs.map((capability) => capabilities[capability])))
      .superRefine((config: Record<string, unknown>, ctx) => {
        // Each provider needs its own settings; which ones is known only once SMS_PROVIDER is read.
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
              message: `is required with SMS_PROVIDER=${String(config.SMS_PROVIDER)}`,
            });
      }),
    env,
  ) as Config;

/** A function's configuration for the capabilities it was deployed with (see CrmFunction). */
export const functionConfig = (needs: readonly Capability[] = []): Config => readConfig(environment(), needs);

/** Powertools settings; read when the logger and metrics are made, with their documented defaults. */
export const observabilityConfig = (env: Environment = environment()) =>
  parse(
    z.object({
      POWERTOOLS_SERVICE_NAME: z.string().min(1).default('crm'),
      // Powertools reads levels in any case; an unknown one falls back to INFO rather than failing the cold start.
      LOG_LEVEL: z.preprocess(
        (value) => (typeof value === 'string' ? value.toUpperCase() : value),
        z.enum(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'SILENT']).catch('INFO'),
      ),
      POWERTOOLS_METRICS_NAMESPACE: z.string().min(1).default('Crm'),
    }),
    env,
  );

/** `npm start`: where the local runtime listens and keeps its data, and the defaults it gives customers. */
export const localRuntimeConfig = (
  argv: readonly string[] = process.argv,
  env: Environment = environment(),
) => {
  const parsed = parse(
    z.object({
      PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
      CRM_IN_MEMORY: z.string().optional(),
      CRM_DATA_DIR: z.string().min(1).default('.data'),
      DEFAULT_TIMEZONE: base.DEFAULT_TIMEZONE.default('Asia/Shanghai'),
      DEFAULT_PHONE_COUNTRY: base.DEFAULT_PHONE_COUNTRY,
      /** Where in their flexible windows the local Scheduler fires schedules; the same seed repeats a run. */
      CRM_SCHEDULER_SEED: z.string().min(1).optional(),
    }),
    env,
  );
  return {
    schedulerSeed: parsed.CRM_SCHEDULER_SEED,
    port: parsed.PORT,
    inMemory: argv.includes('--in-memory') || parsed.CRM_IN_MEMORY === '1',
    dataDir: parsed.CRM_DATA_DIR,
    defaultTimezone: parsed.DEFAULT_TIMEZONE,
    defaultPhoneCountry: parsed.DEFAULT_PHONE_COUNTRY,
  };
};

/** The account and region `cdk` resolved from the caller's credentials (unset: an environment-agnostic stack). */
export const cdkEnvironment = (env: Environment = environment()) => ({
  account: env.CDK_DEFAULT_ACCOUNT,
  region: env.CDK_DEFAULT_REGION,
});

/** The SMS provider settings the local runtime reads from its environment (CDK context in AWS). */
export const readLocalSmsSettings = (env: Environment = environment()) => {
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
