import * as z from 'zod';
import { AliyunAck, AliyunSmsUpPush } from '../../domain/aliyun-sms.ts';
import { defineRoute, type RouteSpec } from '../route-spec.ts';

/** Alibaba Cloud's SmsUp push: public, authenticated by the secret in its path. */
export const smsInboundAliyunSpecs = {
  aliyunSmsUp: defineRoute({
    method: 'POST',
    path: '/sms/inbound/aliyun/{secret}',
    group: 'sms-inbound-aliyun',
    operationId: 'aliyunSmsUp',
    summary:
      'SMS replies pushed by Alibaba Cloud (SmsUp); the URL with its secret is set in the Alibaba Cloud console. A wrong secret is 404.',
    roles: [],
    public: true,
    params: z.strictObject({ secret: z.string().min(1).max(200) }),
    body: AliyunSmsUpPush,
    success: { status: 200, schema: AliyunAck, description: 'Received: { "code": 0, "msg": "接收成功" }' },
  }),
} satisfies Record<string, RouteSpec>;
