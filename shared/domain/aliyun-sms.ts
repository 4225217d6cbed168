import * as z from 'zod';
import type { InboundSms } from './survey.ts';

/**
 * One upstream SMS in Alibaba Cloud's SmsUp HTTP push (短信上行消息), e.g.
 * { "phone_number": "13800138000", "send_time": "2026-11-22 15:53:20", "content": "1",
 *   "sign_name": "乒乓之家", "dest_code": "1234", "sequence_id": 1234567 }.
 * Fields Aliyun may add later are ignored rather than refused: a push is not a client's request.
 */
export const AliyunSmsUp = z
  .object({
    phone_number: z.string().regex(/^\+?\d{5,20}$/, 'must be a phone number'),
    send_time: z.string().max(40).optional(),
    content: z.string().max(2000),
    sign_name: z.string().max(64).optional(),
    dest_code: z.string().max(64).optional(),
    sequence_id: z.union([z.number().int(), z.string().min(1).max(64)]),
  })
  .meta({ id: 'AliyunSmsUp' });
export type AliyunSmsUp = z.infer<typeof AliyunSmsUp>;

export const AliyunSmsUpPush = z.array(AliyunSmsUp).min(1).max(100).meta({ id: 'AliyunSmsUpPush' });

/** The answer Aliyun expects; anything else makes it push again. */
export const ALIYUN_ACK = { code: 0, msg: '接收成功' } as const;
export const AliyunAck = z.object({ code: z.literal(0), msg: z.string() }).meta({ id: 'AliyunAck' });

/** Aliyun writes mainland numbers without a country code: those are +86. */
export const aliyunPhone = (phone: string): string => {
  const digits = phone.replace(/^\+/, '').replace(/^00/, '');
  if (phone.startsWith('+') || phone.startsWith('00')) return `+${digits}`;
  if (/^86\d{11}$/.test(digits)) return `+${digits}`;
  return `+86${digits}`;
};

/**
 * The same inbound message the AWS path hands to the reply handler. Aliyun names no message that
 * was answered, so the reply matches the newest open survey of the phone; `sequence_id` dedupes.
 */
export const inboundFromAliyun = (up: AliyunSmsUp): InboundSms => ({
  originationNumber: aliyunPhone(up.phone_number),
  destinationNumber: up.dest_code ? `aliyun:${up.dest_code}` : 'aliyun',
  messageBody: up.content,
  inboundMessageId: `aliyun:${up.sequence_id}`,
});
