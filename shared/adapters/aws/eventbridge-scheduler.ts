import {
  ConflictException,
  CreateScheduleCommand,
  type CreateScheduleCommandInput,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  type SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import type { OneTimeSchedule, RecurringSchedule, Scheduler, ScheduleTarget } from '../../ports/scheduler.ts';

export interface SchedulerSettings {
  groupName: string;
  /** The role Scheduler assumes to invoke the targets. */
  roleArn: string;
  /** The functions this deployment's code schedules at run time (the daily sweep's cron is the CDK's). */
  targets: Partial<Record<ScheduleTarget, string>>;
  deadLetterArn: string;
}

/** Late but never lost: a firing may drift within this window, and is retried for up to 6 hours. */
const FLEXIBLE_MINUTES = 15;
const RETRY = { MaximumRetryAttempts: 5, MaximumEventAgeInSeconds: 6 * 60 * 60 };

/** The exact CreateSchedule request; the local scheduler stores and fires these same inputs. */
export const createScheduleInput = (
  schedule: OneTimeSchedule | RecurringSchedule,
  settings: SchedulerSettings,
): CreateScheduleCommandInput => {
  const oneTime = 'at' in schedule;
  const arn = settings.targets[schedule.target];
  if (!arn) throw new Error(`No ARN configured for the schedule target ${schedule.target}`);
  return {
    Name: schedule.name,
    GroupName: settings.groupName,
    ScheduleExpression: oneTime ? `at(${schedule.at})` : `cron(${schedule.cron})`,
    ScheduleExpressionTimezone: schedule.timezone,
    FlexibleTimeWindow:
      'flexibleMinutes' in schedule && schedule.flexibleMinutes === 0
        ? { Mode: 'OFF' }
        : {
            Mode: 'FLEXIBLE',
            MaximumWindowInMinutes:
              ('flexibleMinutes' in schedule && schedule.flexibleMinutes) || FLEXIBLE_MINUTES,
          },
    ActionAfterCompletion: oneTime ? 'DELETE' : 'NONE',
    State: 'ENABLED',
    Target: {
      Arn: arn,
      RoleArn: settings.roleArn,
      Input: JSON.stringify(schedule.payload),
      RetryPolicy: RETRY,
      DeadLetterConfig: { Arn: settings.deadLetterArn },
    },
  };
};

export const eventBridgeScheduler = (client: SchedulerClient, settings: SchedulerSettings): Scheduler => {
  const create = async (schedule: OneTimeSchedule | RecurringSchedule) => {
    try {
      await client.send(new CreateScheduleCommand(createScheduleInput(schedule, settings)));
      return 'created' as const;
    } catch (error) {
      // The name is derived from what it schedules, so a conflict means "planned already".
      if (error instanceof ConflictException) return 'exists' as const;
      throw error;
    }
  };
  return {
    createOnce: create,
    createRecurring: create,
    async replaceOnce(schedule) {
      try {
        // UpdateSchedule replaces every field, so the request is the same one CreateSchedule takes.
        await client.send(new UpdateScheduleCommand(createScheduleInput(schedule, settings) as never));
      } catch (error) {
        if (!(error instanceof ResourceNotFoundException)) throw error;
        await create(schedule);
      }
    },
    async delete(name) {
      try {
        await client.send(new DeleteScheduleCommand({ Name: name, GroupName: settings.groupName }));
      } catch (error) {
        if (!(error instanceof ResourceNotFoundException)) throw error;
      }
    },
  };
};
