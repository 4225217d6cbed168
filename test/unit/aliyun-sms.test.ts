import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SendSmsRequest, SendSmsResponseBody } from '@alicloud/dysmsapi20170525';
import { describe, expect, it } from 'vitest';
import { aliyunSmsSender, type SendSmsClient } from '../../shared/adapters/aliyun/aliyun-sms-sender.ts';
import { AliyunSmsUpPush, aliyunPhone, inboundFromAliyun } from '../../shared/domain/aliyun-sms.ts';

const recorded = (name: string) =>
  JSON.parse(readFileSync(join(import.meta.dirname, '../data/aliyun', name), 'utf8'));

/** What the SDK hands back for a recorded SendSms answer: its PascalCase fields in the SDK's names. */
const sdkBody = (api: Record<string, string>) => {
  const names = (SendSmsResponseBody as unknown as { names(): Record<string, string> }).names();
  return Object.fromEntries(
    Object.entries(names).flatMap(([field, wire]) => (wire in api ? [[field, api[wire]]] : [])),
  );
};

/** A SendSms client that records the request as the SDK would put it on the wire, and answers from a recording. */
const fakeClient = (answer: string) => {
  const wire: Record<string, unknown>[] = [];
  const client: SendSmsClient = {
    async sendSms(request) {
      wire.push(new SendSmsRequest(request).toMap());
      return { body: sdkBody(recorded(answer)) };
    },
  };
  return { client, wire };
};

const settings = { signName: '乒乓之家', templates: { transactional: 'SMS_1001', promotional: 'SMS_1002' } };

describe('Alibaba Cloud SendSms adapter (recorded answers; the real endpoint is never called)', () => {
  it('sends with the sign name, the template of the kind, the text as the content parameter, and returns the BizId', async () => {
    const { client, wire } = fakeClient('send-sms-ok.json');
    const sender = aliyunSmsSender(async () => client, settings);
    const sent = await sender.send({
      to: '+8613800138000',
      body: '您的球拍还好吗？满意请回复1',
      kind: 'transactional',
    });
    expect(sent.providerMessageId).toBe('900619746936498440^0');
    expect(wire[0]).toEqual({
      PhoneNumbers: '8613800138000',
      SignName: '乒乓之家',
      TemplateCode: 'SMS_1001',
      TemplateParam: JSON.stringify({ content: '您的球拍还好吗？满意请回复1' }),
    });
    await sender.send({ to: '+85291234567', body: 'Sale', kind: 'promotional' });
    expect(wire[1]).toMatchObject({ PhoneNumbers: '85291234567', TemplateCode: 'SMS_1002' });
  });

  it('throws on a refusal, so the platform retries like any send error', async () => {
    const sender = aliyunSmsSender(async () => fakeClient('send-sms-throttled.json').client, settings);
    await expect(sender.send({ to: '+8613800138000', body: 'x', kind: 'transactional' })).rejects.toThrow(
      /isv\.BUSINESS_LIMIT_CONTROL/,
    );
  });

  it('declares the mainland quiet hours for marketing', () => {
    expect(aliyunSmsSender(async () => fakeClient('send-sms-ok.json').client, settings).quietHours).toEqual({
      start: '20:00',
      end: '08:00',
    });
  });
});

describe('Alibaba Cloud SmsUp push (recorded payload)', () => {
  it('reads each upstream SMS as an inbound message: +86 added, sequence_id as the dedupe id', () => {
    const push = AliyunSmsUpPush.parse(recorded('sms-up-push.json'));
    expect(push.map(inboundFromAliyun)).toEqual([
      {
        originationNumber: '+8613800138000',
        destinationNumber: 'aliyun:2493559',
        messageBody: '2 拍柄有点松',
        inboundMessageId: 'aliyun:1234567',
      },
      {
        originationNumber: '+8613900139000',
        destinationNumber: 'aliyun:2493559',
        messageBody: '退订',
        inboundMessageId: 'aliyun:1234568',
      },
    ]);
  });

  it('reads numbers with and without a country code', () => {
    expect(aliyunPhone('13800138000')).toBe('+8613800138000');
    expect(aliyunPhone('8613800138000')).toBe('+8613800138000');
    expect(aliyunPhone('+85291234567')).toBe('+85291234567');
    expect(aliyunPhone('0085291234567')).toBe('+85291234567');
  });

  it('refuses a push that is not an array of upstream messages', () => {
    expect(AliyunSmsUpPush.safeParse({ phone_number: '1', content: 'x' }).success).toBe(false);
    expect(AliyunSmsUpPush.safeParse([]).success).toBe(false);
  });
});
