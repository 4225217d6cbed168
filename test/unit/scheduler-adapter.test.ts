import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
} from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { eventBridgeScheduler } from '../../shared/adapters/aws/eventbridge-scheduler.ts';

const client = mockClient(SchedulerClient);
beforeEach(() => client.reset());

const scheduler = eventBridgeScheduler(new SchedulerClient({ region: 'us-east-1' }), {
  groupName: 'crm-campaigns',
  roleArn: 'arn:aws:iam::1:role/scheduler',
  deadLetterArn: 'arn:aws:sqs:us-east-1:1:dlq',
  targets: {
    'deliver-touchpoint': 'arn:aws:lambda:us-east-1:1:function:deliver',
    'run-broadcast': 'arn:aws:lambda:us-east-1:1:function:broadcast',
    'broadcast-queue': 'arn:aws:sqs:us-east-1:1:broadcast-sends',
  },
});

describe('EventBridge Scheduler adapter', () => {
  it('creates a one-time at() schedule in the customer zone that deletes itself, with retries and a DLQ', async () => {
    client.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn' });
    const result = await scheduler.createOnce({
      name: 'tp-abc',
      at: '2026-11-29T10:00:00',
      timezone: 'Asia/Shanghai',
      target: 'deliver-touchpoint',
      payload: { touchpointId: 'tp-abc', customerId: 'c1' },
    });
    expect(result).toBe('created');
    expect(client.commandCalls(CreateScheduleCommand)[0]?.args[0].input).toEqual({
      Name: 'tp-abc',
      GroupName: 'crm-campaigns',
      ScheduleExpression: 'at(2026-11-29T10:00:00)',
      ScheduleExpressionTimezone: 'Asia/Shanghai',
      FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 15 },
      ActionAfterCompletion: 'DELETE',
      State: 'ENABLED',
      Target: {
        Arn: 'arn:aws:lambda:us-east-1:1:function:deliver',
        RoleArn: 'arn:aws:iam::1:role/scheduler',
        Input: '{"touchpointId":"tp-abc","customerId":"c1"}',
        RetryPolicy: { MaximumRetryAttempts: 5, MaximumEventAgeInSeconds: 21600 },
        DeadLetterConfig: { Arn: 'arn:aws:sqs:us-east-1:1:dlq' },
      },
    });
  });

  it('treats ConflictException as "planned already", and a missing schedule on delete as done', async () => {
    client
      .on(CreateScheduleCommand)
      .rejects(new ConflictException({ message: 'exists', Message: 'exists', $metadata: {} }));
    client
      .on(DeleteScheduleCommand)
      .rejects(new ResourceNotFoundException({ message: 'gone', Message: 'gone', $metadata: {} }));
    expect(
      await scheduler.createRecurring({
        name: 'bc-1',
        cron: '0 10 ? * MON *',
        timezone: 'Asia/Shanghai',
        target: 'run-broadcast',
        payload: {},
      }),
    ).toBe('exists');
    await expect(scheduler.delete('tp-gone')).resolves.toBeUndefined();
  });

  it('does not swallow other errors', async () => {
    client
      .on(CreateScheduleCommand)
      .rejects(Object.assign(new Error('slow down'), { name: 'ThrottlingException' }));
    await expect(
      scheduler.createOnce({
        name: 'x',
        at: '2026-01-01T00:00:00',
        timezone: 'UTC',
        target: 'deliver-touchpoint',
        payload: {},
      }),
    ).rejects.toThrow('slow down');
  });
});
