import { CfnOutput, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus, type EventPattern, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { PUBLISHED_RECORD_FILTERS } from '../shared/adapters/dynamodb/stream-mapping.ts';
import { TALLIED_RECORD_FILTERS } from '../shared/adapters/dynamodb/tally-mapping.ts';
import type { EventPattern as SharedPattern } from '../shared/domain/event-pattern.ts';
import { type EventTarget, eventRoutes } from '../shared/events/routes.ts';
import type { CrmFunction } from './constructs/crm-function.ts';

/**
 * The stack's one topic for dead-letter alarms (subscribe the on-call address to it). Encrypted with
 * a key CloudWatch may use, since CloudWatch cannot publish to a topic under the AWS-managed SNS key.
 */
const alarmTopic = (scope: Construct): Topic => {
  const stack = Stack.of(scope);
  const existing = stack.node.tryFindChild('DeadLetterAlarms') as Construct | undefined;
  if (existing) return existing.node.findChild('Topic') as Topic;
  const holder = new Construct(stack, 'DeadLetterAlarms');
  const key = new Key(holder, 'Key', {
    description: 'Encrypts the dead-letter alarm topic',
    enableKeyRotation: true,
  });
  key.grantEncryptDecrypt(new ServicePrincipal('cloudwatch.amazonaws.com'));
  const topic = new Topic(holder, 'Topic', {
    displayName: 'CRM dead-letter alarms',
    enforceSSL: true,
    masterKey: key,
  });
  new CfnOutput(stack, 'DeadLetterAlarmTopicArn', {
    value: topic.topicArn,
    description:
      'Subscribe on-call to this topic: something failed for good and waits in a dead-letter queue',
  });
  return topic;
};

/**
 * A queue that only ever holds what failed, kept 14 days for inspection and redrive, with an alarm
 * as soon as anything lands in it.
 */
export const deadLetterQueue = (scope: Construct, id: string): Queue => {
  const queue = new Queue(scope, id, {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
    removalPolicy: RemovalPolicy.RETAIN,
  });
  Validations.of(queue).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason:
      'This queue is itself a dead-letter queue (for a Lambda destination or an EventBridge target); it needs none of its own.',
  });
  const alarm = new Alarm(scope, `${id}Alarm`, {
    alarmDescription: `Something failed for good and waits in ${id}`,
    metric: queue.metricApproximateNumberOfMessagesVisible({
      period: Duration.minutes(1),
      statistic: 'Maximum',
    }),
    threshold: 1,
    evaluationPeriods: 1,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
  alarm.addAlarmAction(new SnsAction(alarmTopic(scope)));
  return queue;
};

/**
 * An alarm as soon as anything arrives on a queue whose consumer handles it (so it is never left
 * visible for the dead-letter alarm to see): on-call still hears that something failed for good.
 */
export const alarmOnArrivals = (scope: Construct, id: string, queue: Queue): Alarm => {
  const alarm = new Alarm(scope, `${id}Alarm`, {
    alarmDescription: `Something failed for good and arrived on ${id} (its consumer records the outcome)`,
    metric: queue.metricNumberOfMessagesReceived({ period: Duration.minutes(1), statistic: 'Sum' }),
    threshold: 1,
    evaluationPeriods: 1,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
  alarm.addAlarmAction(new SnsAction(alarmTopic(scope)));
  return alarm;
};

/** EventBridge patterns use the same JSON as shared/, but the CDK spells the top-level keys in camelCase. */
const toCdkPattern = (pattern: SharedPattern): EventPattern =>
  Object.fromEntries(
    Object.entries(pattern).map(([key, value]) => [
      key.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase()),
      value,
    ]),
  ) as EventPattern;

/**
 * The table's stream → publish-changes → the custom bus → one rule per shared route → target
 * functions. Every hop retries a bounded number of times and then parks what failed in a DLQ.
 */
export class EventBackbone extends Construct {
  readonly bus: EventBus;

  constructor(
    scope: Construct,
    id: string,
    props: {
      table: Table;
      publisher: CrmFunction;
      /** The stream's second reader: campaign counters from touchpoint, message and survey changes. */
      tally: CrmFunction;
      targets: Record<EventTarget, CrmFunction>;
    },
  ) {
    super(scope, id);
    this.bus = new EventBus(this, 'Bus');
    props.publisher.publishesTo(this.bus);
    props.publisher.function.addEventSource(
      new DynamoEventSource(props.table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        maxBatchingWindow: Duration.seconds(1),
        bisectBatchOnError: true,
        retryAttempts: 5,
        maxRecordAge: Duration.hours(24),
        reportBatchItemFailures: true,
        // Only entity records: index and bookkeeping writes never start the function.
        filters: PUBLISHED_RECORD_FILTERS.map((pattern) => FilterCriteria.filter(pattern)),
        onFailure: new SqsDlq(deadLetterQueue(this, 'StreamFailures')),
      }),
    );
    props.tally.function.addEventSource(
      new DynamoEventSource(props.table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        maxBatchingWindow: Duration.seconds(2),
        bisectBatchOnError: true,
        retryAttempts: 10,
        maxRecordAge: Duration.hours(24),
        onFailure: new SqsDlq(deadLetterQueue(this, 'TallyFailures')),
        // Only the items that move counters reach the function (and are billed).
        filters: TALLIED_RECORD_FILTERS.map((pattern) => FilterCriteria.filter(pattern)),
      }),
    );
    for (const reader of [props.publisher, props.tally]) {
      Validations.of(reader.role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'dynamodb:ListStreams, added by the DynamoDB event source, does not support resource-level permissions.',
      });
    }

    const targetFailures = deadLetterQueue(this, 'TargetFailures');
    // Rule targets are invoked asynchronously: the function's own failures go to an on-failure destination.
    const functionFailures = deadLetterQueue(this, 'TargetFunctionFailures');
    for (const target of new Set(Object.values(props.targets))) target.onFailure(functionFailures);
    for (const route of eventRoutes) {
      new Rule(this, route.name, {
        // AWS service events (SES feedback) arrive on the account's default bus.
        ...(route.bus === 'default' ? {} : { eventBus: this.bus }),
        description: route.description,
        eventPattern: toCdkPattern(route.pattern),
        targets: [
          new LambdaFunction(props.targets[route.target].function, {
            deadLetterQueue: targetFailures,
            retryAttempts: 4,
            maxEventAge: Duration.hours(2),
          }),
        ],
      });
    }
  }
}
