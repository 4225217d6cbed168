import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { SmsSender } from '../../ports/messaging.ts';

/** Sends from the two-way origination number, so replies come back to the inbound topic. */
export const snsSmsSender = (client: SNSClient, originationNumber: string): SmsSender => ({
  async send(sms) {
    const { MessageId } = await client.send(
      new PublishCommand({
        PhoneNumber: sms.to,
        Message: sms.body,
        MessageAttributes: {
          'AWS.SNS.SMS.SMSType': {
            DataType: 'String',
            StringValue: sms.kind === 'transactional' ? 'Transactional' : 'Promotional',
          },
          'AWS.MM.SMS.OriginationNumber': { DataType: 'String', StringValue: originationNumber },
        },
      }),
    );
    return { providerMessageId: MessageId ?? '' };
  },
});
