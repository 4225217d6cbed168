import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Rule } from 'aws-cdk-lib/aws-events';
import { SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type CfnBucket,
  HttpMethods,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { QUEUES } from '../shared/runtime/queues.ts';
import type { CrmFunction } from './constructs/crm-function.ts';
import { deadLetterQueue } from './event-backbone.ts';

/** Days an uploaded import file is kept: long enough to finish and look into a failed import. */
const UPLOAD_EXPIRY_DAYS = 7;

/**
 * Imports and backfills: the private upload bucket (presigned PUTs only), S3's ObjectCreated event
 * through EventBridge onto the bulk queue, and the queue's consumer, which runs imports and
 * backfills in checkpointed chunks, each queueing its own continuation.
 */
export class Imports extends Construct {
  constructor(
    scope: Construct,
    id: string,
    props: {
      api: CrmFunction;
      worker: CrmFunction;
      backfillStarters: CrmFunction[];
      /** Web origins that PUT files to the presigned upload URLs (the console). */
      uploadOrigins?: string[];
    },
  ) {
    super(scope, id);
    const accessLogs = new Bucket(this, 'UploadAccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(365) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This bucket holds the upload bucket’s access logs; logging it to itself would loop.',
    });
    const uploads = new Bucket(this, 'Uploads', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'uploads/',
      // Import files carry personal data: they go once the job had time to finish.
      lifecycleRules: [
        {
          expiration: Duration.days(UPLOAD_EXPIRY_DAYS),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      removalPolicy: RemovalPolicy.DESTROY,
      // The console uploads from the browser: a presigned PUT from its origin, nothing else.
      ...(props.uploadOrigins?.length
        ? {
            cors: [
              {
                allowedMethods: [HttpMethods.PUT],
                allowedOrigins: props.uploadOrigins,
                allowedHeaders: ['content-type'],
                maxAge: 3600,
              },
            ],
          }
        : {}),
    });

    // S3 sends its events to EventBridge. Set on the bucket itself rather than with `eventBridgeEnabled`,
    // which would add a custom-resource Lambda to make the same setting.
    (uploads.node.defaultChild as CfnBucket).notificationConfiguration = {
      eventBridgeConfiguration: { eventBridgeEnabled: true },
    };

    const settings = QUEUES['bulk-jobs'];
    const queue = new Queue(this, 'BulkJobs', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(settings.visibilitySeconds),
      deadLetterQueue: {
        queue: deadLetterQueue(this, 'BulkJobsFailures'),
        maxReceiveCount: settings.maxReceives,
      },
    });
    props.worker.function.addEventSource(
      new SqsEventSource(queue, {
        batchSize: settings.batchSize,
        maxConcurrency: settings.maxConcurrency,
        reportBatchItemFailures: true,
      }),
    );
    // The upload itself starts the job: S3 → EventBridge (default bus) → the bulk queue.
    new Rule(this, 'Uploaded', {
      description: 'An import file was uploaded: start its job',
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: { bucket: { name: [uploads.bucketName] }, object: { key: [{ prefix: 'imports/' }] } },
      },
      targets: [new SqsQueue(queue, { deadLetterQueue: deadLetterQueue(this, 'UploadedEventFailures') })],
    });

    props.api.usesUploads(uploads, 'presign');
    props.worker.usesUploads(uploads, 'read').sendsTo(queue, 'BULK_QUEUE_URL');
    for (const fn of props.backfillStarters) fn.sendsTo(queue, 'BULK_QUEUE_URL');
  }
}
