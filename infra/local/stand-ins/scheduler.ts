import type { CreateScheduleCommandInput } from '@aws-sdk/client-scheduler';
import {
  createScheduleInput,
  type SchedulerSettings,
} from '../../../shared/adapters/aws/eventbridge-scheduler.ts';
import { nextCronMinute, parseCron } from '../../../shared/domain/cron.ts';
import { localParts, zonedToUtc } from '../../../shared/domain/zoned-time.ts';
import { logger } from '../../../shared/observability.ts';
import type { Clock } from '../../../shared/ports/clock.ts';
import { SCHEDULED_TIME, type Scheduler, type ScheduleTarget } from '../../../shared/ports/scheduler.ts';

const targetArn = (target: ScheduleTarget) => `arn:aws:lambda:local:000000000000:function:${target}`;

export const localSchedulerSettings: SchedulerSettings = {
  groupName: 'crm-local',
  roleArn: 'arn:aws:iam::000000000000:role/crm-local-scheduler',
  deadLetterArn: 'arn:aws:sqs:local:000000000000:crm-local-scheduler-dlq',
  targets: {
    'deliver-touchpoint': targetArn('deliver-touchpoint'),
    'run-broadcast': targetArn('run-broadcast'),
    'sweep-stale-leads': targetArn('sweep-stale-leads'),
  },
};

const parseLocal = (text: string) => {
  const [date = '', time = ''] = text.split('T');
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  return { year, month, day, hour, minute };
};

/** When a stored request next fires after `after`, from its expression and zone, as Scheduler would. */
const nextFire = (input: CreateScheduleCommandInput, after: Date | undefined): Date | undefined => {
  const expression = input.ScheduleExpression ?? '';
  const zone = input.ScheduleExpressionTimezone ?? 'UTC';
  const at = /^at\((.+)\)$/.exec(expression)?.[1];
  if (at) return after ? undefined : zonedToUtc(parseLocal(at), zone);
  const cron = /^cron\((.+)\)$/.exec(expression)?.[1];
  if (!cron) return undefined;
  const next = nextCronMinute(parseCron(cron), localParts(after ?? new Date(), zone));
  return next ? zonedToUtc(next, zone) : undefined;
};

type Invoke = (target: ScheduleTarget, payload: unknown) => Promise<unknown>;

/**
 * The local EventBridge Scheduler: it keeps the very CreateSchedule requests the AWS adapter would
 * send and fires them when the virtual clock passes them, with the target's retry policy.
 */
export const localScheduler = (clock: Clock, invoke: () => Invoke) => {
  const schedules = new Map<string, { input: CreateScheduleCommandInput; at: Date | undefined }>();
  const deadLetters: { name: string; error: string }[] = [];
  const targets = Object.fromEntries(
    Object.entries(localSchedulerSettings.targets).map(([target, arn]) => [arn, target as ScheduleTarget]),
  );

  const store = async (input: CreateScheduleCommandInput) => {
    const name = input.Name as string;
    if (schedules.has(name)) return 'exists' as const;
    schedules.set(name, {
      input,
      at: nextFire(input, /^cron/.test(input.ScheduleExpression ?? '') ? clock.now() : undefined),
    });
    return 'created' as const;
  };

  const scheduler: Scheduler = {
    createOnce: (schedule) => store(createScheduleInput(schedule, localSchedulerSettings)),
    createRecurring: (schedule) => store(createScheduleInput(schedule, localSchedulerSettings)),
    async delete(name) {
      schedules.delete(name);
    },
  };

  const fire = async (name: string) => {
    const entry = schedules.get(name);
    if (!entry?.at) return;
    const { input, at } = entry;
    const target = targets[input.Target?.Arn ?? ''] as ScheduleTarget;
    const payload = JSON.parse((input.Target?.Input ?? '{}').replaceAll(SCHEDULED_TIME, at.toISOString()));
    const attempts = 1 + (input.Target?.RetryPolicy?.MaximumRetryAttempts ?? 0);
    for (let attempt = 1; ; attempt++) {
      try {
        await invoke()(target, payload);
        break;
      } catch (error) {
        if (attempt >= attempts) {
          logger.error('schedule target kept failing; sent to the dead-letter queue', {
            name,
            error: error as Error,
          });
          deadLetters.push({ name, error: (error as Error).message });
          break;
        }
      }
    }
    if (input.ActionAfterCompletion === 'DELETE' || !/^cron/.test(input.ScheduleExpression ?? ''))
      schedules.delete(name);
    else entry.at = nextFire(input, at);
  };

  return {
    scheduler,
    deadLetters,
    /** The earliest schedule due at or before `until`, if any. */
    nextDue(until: Date): { name: string; at: Date } | undefined {
      let earliest: { name: string; at: Date } | undefined;
      for (const [name, { at }] of schedules) {
        if (at && at.getTime() <= until.getTime() && (!earliest || at.getTime() < earliest.at.getTime()))
          earliest = { name, at };
      }
      return earliest;
    },
    fire,
    list: () => [...schedules.values()].map(({ input, at }) => ({ ...input, nextFireAt: at?.toISOString() })),
  };
};
export type LocalScheduler = ReturnType<typeof localScheduler>;
