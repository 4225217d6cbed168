import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus, type EventPattern, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { EventPattern as SharedPattern } from '../shared/domain/event-pattern.ts';
import { type EventTarget, eventRoutes } from '../shared/events/routes.ts';
import { PUBLISHED_RECORD_FILTERS } from '../shared/events/stream-mapping.ts';
import type { CrmFunction } from './constructs/crm-function.ts';

/** A queue that only ever holds what failed, kept 14 days for inspection and redrive. */
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
  return queue;
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
    props: { table: Table; publisher: CrmFunction; targets: Record<EventTarget, CrmFunction> },
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
    Validations.of(props.publisher.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'dynamodb:ListStreams, added by the DynamoDB event source, does not support resource-level permissions.',
    });

    const targetFailures = deadLetterQueue(this, 'TargetFailures');
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
