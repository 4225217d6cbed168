import { Aws, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key, KeySpec, KeyUsage } from 'aws-cdk-lib/aws-kms';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { CfnScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { QUEUES } from '../shared/runtime/queues.ts';
import type { CrmFunction } from './constructs/crm-function.ts';
import { alarmOnArrivals, deadLetterQueue } from './event-backbone.ts';

/**
 * Scheduler → delivery: the schedule group, the role Scheduler assumes to invoke the two targets
 * (and to put deferred broadcast recipients back on the send queue), their DLQs and on-failure
 * destination, the HMAC key for unsubscribe links, and the broadcast send queue with its consumer.
 */
export class CampaignDelivery extends Construct {
  readonly key: Key;

  constructor(
    scope: Construct,
    id: string,
    props: {
      schedulers: CrmFunction[];
      deliverTouchpoint: CrmFunction;
      runBroadcast: CrmFunction;
      sendBroadcast: CrmFunction;
      pageBroadcast: CrmFunction;
      /** Ends as failed each message whose delivery the platform gave up on. */
      closeAbandoned: CrmFunction;
      linkSigners: CrmFunction[];
      linkVerifiers: CrmFunction[];
      publicBaseUrl: string;
    },
  ) {
    super(scope, id);
    const stack = Stack.of(this);
    const group = new CfnScheduleGroup(this, 'Group', { name: `${stack.stackName}-campaigns` });
    const failures = deadLetterQueue(this, 'ScheduleFailures');
    const role = new Role(this, 'SchedulerRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
      description: 'Assumed by EventBridge Scheduler to fire campaign touchpoints and broadcasts',
    });
    role.addToPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['lambda:InvokeFunction'],
        resources: [props.deliverTouchpoint.arn, props.runBroadcast.arn],
      }),
    );
    failures.grantSendMessages(role);
    // Scheduler invokes both asynchronously: what the functions themselves fail on goes on a queue.
    // A touchpoint's last failure names a message, which must not stay deferred: its consumer ends
    // it `failed` (and an alarm says it happened). A broadcast run's failure waits for an operator.
    const abandoned = this.queue('AbandonedDeliveries', QUEUES['abandoned-deliveries'], props.closeAbandoned);
    alarmOnArrivals(this, 'AbandonedDeliveries', abandoned);
    props.deliverTouchpoint.onFailure(abandoned);
    props.runBroadcast.onFailure(deadLetterQueue(this, 'DeliveryFunctionFailures'));

    // A deferred broadcast recipient goes back on this queue when its time comes (a schedule targets it);
    // one the queue gives up on is redriven to the abandoned deliveries, to be ended `failed` too.
    const queue = this.queue('BroadcastSends', QUEUES['broadcast-sends'], props.sendBroadcast, abandoned);
    queue.grantSendMessages(role);
    // The audience is read segment by segment, in parallel, each continuing itself when its time runs low.
    const segments = this.queue('BroadcastSegments', QUEUES['broadcast-segments'], props.pageBroadcast);
    props.runBroadcast.sendsTo(segments, 'SEGMENT_QUEUE_URL');
    props.pageBroadcast.sendsTo(segments, 'SEGMENT_QUEUE_URL').sendsTo(queue, 'SEND_QUEUE_URL');

    // Pseudo-parameters rather than the synth-time region, so the acknowledgement below names the same resource everywhere.
    const schedulesArn = `arn:${Aws.PARTITION}:scheduler:${Aws.REGION}:${Aws.ACCOUNT_ID}:schedule/${group.ref}/*`;
    for (const fn of props.schedulers) {
      fn.schedules({
        groupName: group.ref,
        schedulesArn,
        role,
        deadLetterArn: failures.queueArn,
        targets: {
          deliverTouchpoint: props.deliverTouchpoint.arn,
          runBroadcast: props.runBroadcast.arn,
          broadcastQueue: queue.queueArn,
        },
      });
      Validations.of(fn.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/<${stack.getLogicalId(group)}>/*]`,
        reason:
          "Schedule names are derived from each touchpoint at run time; the grant is limited to this deployment's schedule group.",
      });
    }

    this.key = new Key(this, 'LinkKey', {
      description: 'Signs unsubscribe links (HMAC)',
      keySpec: KeySpec.HMAC_256,
      keyUsage: KeyUsage.GENERATE_VERIFY_MAC,
    });
    Validations.of(this.key).acknowledge({
      id: 'AwsSolutions-KMS5',
      reason:
        'KMS does not support automatic rotation for HMAC keys; links signed with it are only unsubscribe links.',
    });
    for (const fn of props.linkSigners) fn.signsLinks(this.key, 'sign', props.publicBaseUrl);
    for (const fn of props.linkVerifiers) fn.signsLinks(this.key, 'verify', props.publicBaseUrl);
  }

  /** A queue with its DLQ and its consumer, as shared/runtime/queues.ts declares them (the local runtime reads the same). */
  private queue(
    id: string,
    settings: (typeof QUEUES)[keyof typeof QUEUES],
    consumer: CrmFunction,
    redriveTo?: Queue,
  ): Queue {
    const queue = new Queue(this, id, {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(settings.visibilitySeconds),
      deadLetterQueue: {
        queue: redriveTo ?? deadLetterQueue(this, `${id}Failures`),
        maxReceiveCount: settings.maxReceives,
      },
    });
    consumer.function.addEventSource(
      new SqsEventSource(queue, {
        batchSize: settings.batchSize,
        maxConcurrency: settings.maxConcurrency,
        reportBatchItemFailures: true,
      }),
    );
    return queue;
  }
}
