import { Stack } from 'aws-cdk-lib';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnSchedule, CfnScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import { DAILY_SWEEP, SCHEDULED_TIME } from '../shared/ports/scheduler.ts';
import type { CrmFunction } from './constructs/crm-function.ts';
import { deadLetterQueue } from './event-backbone.ts';

/**
 * The daily stale-lead sweep: an EventBridge Scheduler cron in the deployment's time zone, a role
 * that may invoke only the sweep function, a DLQ for firings Scheduler cannot hand over, and the
 * function's own on-failure destination for errors it throws after its async retries.
 */
export class SalesAutomation extends Construct {
  constructor(scope: Construct, id: string, props: { sweep: CrmFunction; timezone: string }) {
    super(scope, id);
    const stack = Stack.of(this);
    const group = new CfnScheduleGroup(this, 'Group', { name: `${stack.stackName}-sales` });
    const failures = deadLetterQueue(this, 'SweepFailures');
    const role = new Role(this, 'SchedulerRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
      description: 'Assumed by EventBridge Scheduler to run the daily stale-lead sweep',
    });
    role.addToPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['lambda:InvokeFunction'],
        resources: [props.sweep.function.functionArn],
      }),
    );
    failures.grantSendMessages(role);

    props.sweep.onFailure(failures);

    new CfnSchedule(this, 'DailySweep', {
      name: DAILY_SWEEP.name,
      groupName: group.ref,
      description: 'Takes stale leads from their owners (reassign or pool), every day just after midnight',
      scheduleExpression: `cron(${DAILY_SWEEP.cron})`,
      scheduleExpressionTimezone: props.timezone,
      flexibleTimeWindow: { mode: 'FLEXIBLE', maximumWindowInMinutes: 15 },
      state: 'ENABLED',
      target: {
        arn: props.sweep.function.functionArn,
        roleArn: role.roleArn,
        input: JSON.stringify({ occurrence: SCHEDULED_TIME }),
        retryPolicy: { maximumRetryAttempts: 5, maximumEventAgeInSeconds: 6 * 60 * 60 },
        deadLetterConfig: { arn: failures.queueArn },
      },
    });
  }
}
