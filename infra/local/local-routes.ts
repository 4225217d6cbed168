import * as z from 'zod';
import { smsInboundAliyunRoutes } from '../../functions/http/sms-inbound-aliyun.ts';
import { AliyunSmsUpPush } from '../../shared/domain/aliyun-sms.ts';
import { NotFoundError, ValidationError } from '../../shared/domain/errors.ts';
import { InboundSms } from '../../shared/domain/survey.ts';
import { createHttpHandler } from '../../shared/http/handler.ts';
import { fieldErrorsOf } from '../../shared/http/problem.ts';
import type { HttpResponse } from '../../shared/http/request.ts';
import { smsInboundAliyunSpecs } from '../../shared/http/routes/sms-inbound-aliyun.ts';
import { importIdOfKey } from '../../shared/ports/imports.ts';
import type { LocalSystem } from './composition.ts';
import { lambdaContext } from './lambda-event.ts';
import { json, type LocalRoute, type LocalUpload } from './server.ts';
import { aliyunPushEvent } from './stand-ins/aliyun-sms.ts';

const DAY_MS = 86_400_000;

const ClockRequest = z
  .strictObject({
    advanceDays: z.number().nonnegative().max(3650).optional(),
    advanceHours: z.number().nonnegative().max(87_600).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
  })
  .refine((r) => [r.advanceDays, r.advanceHours, r.to].filter((v) => v !== undefined).length === 1, {
    message: 'give exactly one of advanceDays, advanceHours or to',
  });

const parse = <T>(schema: z.ZodType<T>, body: unknown): T => {
  const result = schema.safeParse(body);
  if (!result.success) throw new ValidationError(fieldErrorsOf(result.error));
  return result.data;
};

/** The `_local` routes that drive the stand-ins; they never exist in AWS. */
export const localRoutes = (system: LocalSystem): Record<string, LocalRoute> => {
  // The same handler as POST /sms/inbound/aliyun/{secret}, called with the deployment's secret.
  const aliyunSmsUp = createHttpHandler(smsInboundAliyunSpecs, smsInboundAliyunRoutes, () => system.deps);
  return {
    'POST /_local/settle': async () => {
      await system.settle();
      return json(200, { settled: true, deadLetters: system.deadLetters.length });
    },
    'GET /_local/dead-letters': async () => json(200, { items: system.deadLetters }),
    'GET /_local/clock': async () => json(200, { now: system.clock.now().toISOString() }),
    'POST /_local/clock': async ({ body }) => {
      const request = parse(ClockRequest, body);
      const now = system.clock.now().getTime();
      const to = request.to
        ? new Date(request.to)
        : new Date(now + (request.advanceDays ?? 0) * DAY_MS + (request.advanceHours ?? 0) * 3_600_000);
      if (to.getTime() < now) throw ValidationError.field('to', 'the clock only moves forward');
      const fired = await system.advanceClock(to);
      return json(200, { now: system.clock.now().toISOString(), fired });
    },
    'GET /_local/outbox': async ({ query }) =>
      json(200, {
        items: system.outbox.list({
          channel: query.get('channel') ?? undefined,
          to: query.get('to') ?? undefined,
        }),
      }),
    'GET /_local/schedules': async () => json(200, { items: system.scheduler.list() }),
    'POST /_local/sms/inbound': async ({ body }) => {
      const payload = parse(InboundSms, body);
      const [outcome] = (await system.inboundSms(payload)) ?? [];
      await system.settle();
      return json(200, { outcome });
    },
    'POST /_local/sms/inbound/aliyun': async ({ body }) => {
      const push = parse(AliyunSmsUpPush, body);
      const secret = (await system.deps.pushSecrets?.aliyun()) ?? '';
      const response = (await aliyunSmsUp(
        aliyunPushEvent(secret, push),
        lambdaContext('crm-sms-inbound-aliyun'),
      )) as HttpResponse;
      await system.settle();
      return response;
    },
  };
};

/** The upload URL of an import on this machine: stores the CSV and starts the job, as S3 and its event would. */
export const localUpload =
  (system: LocalSystem): LocalUpload =>
  async (key, body, contentType) => {
    const id = importIdOfKey(key);
    // Like a presigned URL: only the file of an import that was asked for, and only once.
    if (!id || (await system.deps.imports.get(id))?.status !== 'awaiting-upload')
      throw new NotFoundError(`Upload ${key}`);
    if (!contentType?.toLowerCase().startsWith('text/csv'))
      return json(415, {
        type: '/problems/unsupported-media-type',
        title: 'Unsupported Media Type',
        status: 415,
        detail: 'Send the file with Content-Type: text/csv.',
      });
    system.upload(key, Buffer.from(body, 'utf8'));
    return { statusCode: 200, headers: {}, body: '' };
  };
