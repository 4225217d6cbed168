import { CfnOutput } from 'aws-cdk-lib';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Alias } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { CrmFunction } from './constructs/crm-function.ts';
import { deadLetterQueue } from './event-backbone.ts';

/**
 * The topic End User Messaging publishes two-way SMS replies to, and its subscription: the inbound
 * reply function, with a DLQ for what SNS cannot deliver.
 */
export class InboundSms extends Construct {
  readonly topic: Topic;

  constructor(scope: Construct, id: string, props: { handler: CrmFunction }) {
    super(scope, id);
    this.topic = new Topic(this, 'Topic', {
      displayName: 'CRM inbound SMS replies',
      enforceSSL: true,
      masterKey: Alias.fromAliasName(this, 'SnsKey', 'alias/aws/sns'),
    });
    // End User Messaging (Pinpoint SMS) publishes the two-way payload to this topic.
    this.topic.grantPublish(new ServicePrincipal('sms-voice.amazonaws.com'));
    // SNS invokes the function asynchronously: its own failures need the function's destination.
    props.handler.onFailure(deadLetterQueue(this, 'HandlerFailures'));
    this.topic.addSubscription(
      new LambdaSubscription(props.handler.function, {
        deadLetterQueue: deadLetterQueue(this, 'Undelivered'),
      }),
    );
    new CfnOutput(this, 'TopicArn', {
      value: this.topic.topicArn,
      description: 'Set as the two-way SMS destination of the origination number',
    });
  }
}
