import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SNSClient } from '@aws-sdk/client-sns';
import { eventBridgePublisher } from '../adapters/aws/eventbridge-publisher.ts';
import { sesMailer } from '../adapters/aws/ses-mailer.ts';
import { snsSmsSender } from '../adapters/aws/sns-sms-sender.ts';
import type { Config } from '../config.ts';

export const awsEvents = (config: Config) =>
  eventBridgePublisher(new EventBridgeClient({}), config.EVENT_BUS_NAME);
export const awsEmail = (config: Config) =>
  sesMailer(new SESv2Client({}), config.EMAIL_FROM, config.SES_CONFIGURATION_SET);
export const awsSms = (config: Config) => snsSmsSender(new SNSClient({}), config.SMS_ORIGINATION_NUMBER);
