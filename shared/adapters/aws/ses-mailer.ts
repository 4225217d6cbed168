import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { Mailer } from '../../ports/messaging.ts';

export const sesMailer = (client: SESv2Client, from: string, configurationSet?: string): Mailer => ({
  async send(email) {
    const { MessageId } = await client.send(
      new SendEmailCommand({
        FromEmailAddress: from,
        Destination: { ToAddresses: [email.to] },
        ...(configurationSet ? { ConfigurationSetName: configurationSet } : {}),
        EmailTags: Object.entries(email.tags ?? {}).map(([Name, Value]) => ({ Name, Value })),
        Content: {
          Simple: {
            Subject: { Data: email.subject, Charset: 'UTF-8' },
            Body: { Text: { Data: email.body, Charset: 'UTF-8' } },
            Headers: Object.entries(email.headers ?? {}).map(([Name, Value]) => ({ Name, Value })),
          },
        },
      }),
    );
    return { providerMessageId: MessageId ?? '' };
  },
});
