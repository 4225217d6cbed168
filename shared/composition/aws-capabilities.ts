import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { aliyunSmsSender, dysmsClient } from '../adapters/aliyun/aliyun-sms-sender.ts';
import { eventBridgePublisher } from '../adapters/aws/eventbridge-publisher.ts';
import { eventBridgeScheduler } from '../adapters/aws/eventbridge-scheduler.ts';
import { kmsSigner } from '../adapters/aws/kms-signer.ts';
import { s3Uploads } from '../adapters/aws/s3-uploads.ts';
import { secretReader } from '../adapters/aws/secrets.ts';
import { sesMailer } from '../adapters/aws/ses-mailer.ts';
import { snsSmsSender } from '../adapters/aws/sns-sms-sender.ts';
import { sqsQueue } from '../adapters/aws/sqs-queue.ts';
import type { Config } from '../config.ts';
import type { BulkQueue, UploadStore } from '../ports/imports.ts';
import type { SegmentQueue, SendQueue } from '../ports/send-queue.ts';

export const awsEvents = (config: Config) =>
  eventBridgePublisher(new EventBridgeClient({}), config.EVENT_BUS_NAME);
export const awsEmail = (config: Config) =>
  sesMailer(new SESv2Client({}), config.EMAIL_FROM, config.SES_CONFIGURATION_SET);
/** The deployment's SMS provider: SNS (End User Messaging) or Alibaba Cloud; readConfig checked its settings. */
export const awsSms = (config: Config) => {
  if (config.SMS_PROVIDER !== 'aliyun')
    return snsSmsSender(new SNSClient({}), config.SMS_ORIGINATION_NUMBER as string);
  const credentials = secretReader(
    new SecretsManagerClient({}),
    config.ALIYUN_CREDENTIALS_SECRET_ARN as string,
  );
  let client: ReturnType<typeof dysmsClient> | undefined;
  return aliyunSmsSender(
    () => {
      client ??= credentials().then((json) => dysmsClient(JSON.parse(json)));
      // A failed start (secret not readable) is retried on the next send rather than cached.
      client.catch(() => {
        client = undefined;
      });
      return client;
    },
    {
      signName: config.ALIYUN_SMS_SIGN_NAME as string,
      templates: {
        transactional: config.ALIYUN_SMS_TEMPLATE_TRANSACTIONAL as string,
        promotional: config.ALIYUN_SMS_TEMPLATE_PROMOTIONAL as string,
      },
    },
  );
};
export const awsAliyunPushSecret = (config: Config) => {
  const read = secretReader(new SecretsManagerClient({}), config.ALIYUN_PUSH_SECRET_ARN);
  return { aliyun: () => read() };
};
export const awsScheduler = (config: Config) =>
  eventBridgeScheduler(new SchedulerClient({}), {
    groupName: config.SCHEDULE_GROUP,
    roleArn: config.SCHEDULER_ROLE_ARN,
    deadLetterArn: config.SCHEDULER_DLQ_ARN,
    targets: {
      'deliver-touchpoint': config.DELIVER_TOUCHPOINT_ARN,
      'run-broadcast': config.RUN_BROADCAST_ARN,
      'broadcast-queue': config.BROADCAST_QUEUE_ARN,
    },
  });
export const awsSigner = (config: Config) => kmsSigner(new KMSClient({}), config.UNSUBSCRIBE_KEY_ID);
export const awsQueue = (config: Config): SendQueue => sqsQueue(new SQSClient({}), config.SEND_QUEUE_URL);
export const awsSegments = (config: Config): SegmentQueue =>
  sqsQueue(new SQSClient({}), config.SEGMENT_QUEUE_URL);
export const awsUploads = (config: Config): UploadStore => s3Uploads(new S3Client({}), config.UPLOAD_BUCKET);
export const awsBulk = (config: Config): BulkQueue => sqsQueue(new SQSClient({}), config.BULK_QUEUE_URL);
