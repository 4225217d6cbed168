import { createHash, timingSafeEqual } from 'node:crypto';
import { ALIYUN_ACK, type AliyunSmsUp, inboundFromAliyun } from '../domain/aliyun-sms.ts';
import { NotFoundError } from '../domain/errors.ts';
import type { PushSecrets } from '../ports/push-secrets.ts';
import { handleInboundSms } from './inbound-sms.ts';

type Deps = Parameters<typeof handleInboundSms>[0] & { pushSecrets?: PushSecrets | undefined };

const digest = (text: string) => createHash('sha256').update(text).digest();

/** Compares digests, so the time taken says nothing about how much of the secret matched. */
const sameSecret = (given: string, expected: string) => timingSafeEqual(digest(given), digest(expected));

/**
 * Alibaba Cloud's push of upstream SMS: each reply goes to the same handler as End User Messaging
 * replies (deduplicated by sequence_id). A wrong or unset secret is a 404, as if no route were there.
 */
export const receiveAliyunSmsUp = async (deps: Deps, secret: string, push: AliyunSmsUp[]) => {
  const expected = await deps.pushSecrets?.aliyun();
  if (!expected || !sameSecret(secret, expected)) throw new NotFoundError('This resource');
  const outcomes = [];
  for (const up of push)
    outcomes.push(await handleInboundSms(deps, inboundFromAliyun(up), { source: 'aliyun-sms-reply' }));
  return { ack: ALIYUN_ACK, outcomes };
};
