import type { IncomingMessage } from 'node:http';
import type { SendSmsClient } from '../../../shared/adapters/aliyun/aliyun-sms-sender.ts';
import type { AliyunSmsUp } from '../../../shared/domain/aliyun-sms.ts';
import type { HttpEvent } from '../../../shared/http/request.ts';
import type { SmsSender } from '../../../shared/ports/messaging.ts';
import { toHttpEvent } from '../lambda-event.ts';

/**
 * Alibaba Cloud SendSms on one machine: what the phone would show (【sign】 and the text) lands in
 * the outbox, under the number in E.164, with the BizId as provider message id.
 */
export const localSendSmsClient = (
  outbox: SmsSender,
  templates: { transactional: string; promotional: string },
): SendSmsClient => ({
  async sendSms(request) {
    const { content } = JSON.parse(request.templateParam) as { content: string };
    const { providerMessageId } = await outbox.send({
      to: `+${request.phoneNumbers}`,
      body: `【${request.signName}】${content}`,
      kind: request.templateCode === templates.promotional ? 'promotional' : 'transactional',
    });
    return { body: { code: 'OK', message: 'OK', bizId: providerMessageId, requestId: 'local' } };
  },
});

/** The API Gateway event Alibaba Cloud's push becomes in AWS, for the same Lambda handler. */
export const aliyunPushEvent = (secret: string, push: AliyunSmsUp[]): HttpEvent => {
  const path = `/sms/inbound/aliyun/${encodeURIComponent(secret)}`;
  const request = {
    headers: { 'content-type': 'application/json', 'user-agent': 'Alibaba Cloud SmsUp (local)' },
    method: 'POST',
    httpVersion: '1.1',
    socket: { remoteAddress: '127.0.0.1' },
  } as unknown as IncomingMessage;
  return toHttpEvent({
    request,
    url: new URL(path, 'http://localhost'),
    routeKey: 'POST /sms/inbound/aliyun/{secret}',
    pathParameters: { secret },
    body: JSON.stringify(push),
    claims: undefined,
  });
};
