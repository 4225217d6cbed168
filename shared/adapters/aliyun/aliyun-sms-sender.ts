import type { OutboundSms, SmsSender } from '../../ports/messaging.ts';

/** The part of `@alicloud/dysmsapi20170525`'s client this adapter uses (SendSms). */
export interface SendSmsClient {
  sendSms(request: {
    phoneNumbers: string;
    signName: string;
    templateCode: string;
    templateParam: string;
  }): Promise<{ body?: { code?: string; message?: string; bizId?: string; requestId?: string } }>;
}

export interface AliyunSmsSettings {
  /** 短信签名, approved in the console; Aliyun puts it first: 【乒乓之家】… */
  signName: string;
  /** Template codes whose whole text is the variable `${content}`. */
  templates: { transactional: string; promotional: string };
}

/** Mainland rules: no marketing SMS between 20:00 and 08:00 recipient time. */
export const ALIYUN_QUIET_HOURS = { start: '20:00', end: '08:00' } as const;

/** Aliyun takes the number without "+": mainland 86… and international numbers alike. */
const aliyunNumber = (e164: string) => e164.replace(/^\+/, '');

/**
 * SmsSender on Alibaba Cloud SMS (SendSms with a sign name and a template code). The rendered text
 * goes in as the template's `content` parameter. A code other than OK is thrown, so the platform
 * retries like any other send error.
 */
export const aliyunSmsSender = (
  client: () => Promise<SendSmsClient>,
  settings: AliyunSmsSettings,
): SmsSender => ({
  quietHours: ALIYUN_QUIET_HOURS,
  async send(sms: OutboundSms) {
    const response = await (await client()).sendSms({
      phoneNumbers: aliyunNumber(sms.to),
      signName: settings.signName,
      templateCode:
        sms.kind === 'promotional' ? settings.templates.promotional : settings.templates.transactional,
      templateParam: JSON.stringify({ content: sms.body }),
    });
    const body = response.body ?? {};
    if (body.code !== 'OK' || !body.bizId)
      throw new Error(`Aliyun SendSms failed: ${body.code ?? 'no code'} ${body.message ?? ''}`.trim());
    return { providerMessageId: body.bizId };
  },
});

/** The real client, loaded on first send so other bundles and cold starts never carry it. */
export const dysmsClient = async (credentials: {
  accessKeyId: string;
  accessKeySecret: string;
}): Promise<SendSmsClient> => {
  const [sdk, openapi] = await Promise.all([
    import('@alicloud/dysmsapi20170525'),
    import('@alicloud/openapi-client'),
  ]);
  // A CommonJS module whose class is `exports.default`: Node's ESM interop puts it one level deeper.
  type ClientClass = typeof sdk.default.default;
  const Client = (sdk.default.default ?? (sdk.default as unknown as ClientClass)) as ClientClass;
  const client = new Client(new openapi.Config({ ...credentials, endpoint: 'dysmsapi.aliyuncs.com' }));
  const { SendSmsRequest } = sdk;
  return { sendSms: (request) => client.sendSms(new SendSmsRequest(request)) };
};
