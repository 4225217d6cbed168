import { createHash } from 'node:crypto';
import type { CreateScheduleCommandInput } from '@aws-sdk/client-scheduler';
import {
  createScheduleInput,
  type SchedulerSettings,
} from '../../../shared/adapters/aws/eventbridge-scheduler.ts';
import { nextCronMinute, parseCron } from '../../../shared/domain/cron.ts';
import { localParts, zonedToUtc } from '../../../shared/domain/zoned-time.ts';
import type { Clock } from '../../../shared/ports/clock.ts';
import { SCHEDULED_TIME, type Scheduler, type ScheduleTarget } from '../../../shared/ports/scheduler.ts';

const targetArn = (target: ScheduleTarget) =>
  target === 'broadcast-queue'
    ? 'arn:aws:sqs:local:000000000000:crm-local-broadcast-sends'
    : `arn:aws:lambda:local:000000000000:function:${target}`;

export const localSchedulerSettings: SchedulerSettings = {
  groupName: 'crm-local',
  roleArn: 'arn:aws:iam::000000000000:role/crm-local-scheduler',
  deadLetterArn: 'arn:aws:sqs:local:000000000000:crm-local-scheduler-dlq',
  targets: {
    'deliver-touchpoint': targetArn('deliver-touchpoint'),
    'run-broadcast': targetArn('run-broadcast'),
    'broadcast-queue': targetArn('broadcast-queue'),
    'sweep-stale-leads': targetArn('sweep-stale-leads'),
  },
};

const parseLocal = (text: string) => {
  const [date = '', time = ''] = text.split('T');
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  return { year, month, day, hour, minute };
};

/** When a stored request is next due after `after`, from its expression and zone, as Scheduler reads it. */
const nextOccurrence = (input: CreateScheduleCommandInput, after: Date | undefined): Date | undefined => {
  const expression = input.ScheduleExpression ?? '';
  const zone = input.ScheduleExpressionTimezone ?? 'UTC';
  const at = /^at\((.+)\)$/.exec(expression)?.[1];
  if (at) return after ? undefined : zonedToUtc(parseLocal(at), zone);
  const cron = /^cron\((.+)\)$/.exec(expression)?.[1];
  if (!cron) return undefined;
  const next = nextCronMinute(parseCron(cron), localParts(after ?? new Date(), zone));
  return next ? zonedToUtc(next, zone) : undefined;
};

/**
 * Where in its flexible window an occurrence fires: a hash of the seed, the schedule's name and the
 * occurrence, so a run is repeatable and yet firings spread over the window as they do in AWS.
 */
const flexibleOffsetMs = (seed: string, name: string, occurrence: Date, windowMinutes: number) => {
  if (windowMinutes <= 0) return 0;
  const hash = createHash('sha256').update(`${seed}|${name}|${occurrence.toISOString()}`).digest();
  return hash.readUInt32BE(0) % (windowMinutes * 60_000);
};

interface Entry {
  input: CreateScheduleCommandInput;
  /** The nominal time of the next occurrence: Scheduler's <aws.scheduler.scheduled-time>. */
  occurrence: Date | undefined;
  /** When it actually fires: somewhere in the flexible window after the occurrence. */
  at: Date | undefined;
}

export type Deliver = (target: ScheduleTarget, payload: unknown) => void;

/**
 * The local EventBridge Scheduler: it keeps the very CreateSchedule requests the AWS adapter would
 * send and, when the virtual clock passes one, fires it somewhere inside its flexible window (seeded,
 * so tests repeat). Delivery to the target is asynchronous, as in AWS: `deliver` hands the payload
 * to the local Lambda service (retries, on-failure destination) or to the local queue.
 */
export const localScheduler = (clock: Clock, deliver: () => Deliver, seed = 'crm-local') => {
  const schedules = new Map<string, Entry>();
  const targets = Object.fromEntries(
    Object.entries(localSchedulerSettings.targets).map(([target, arn]) => [arn, target as ScheduleTarget]),
  );

  const plan = (name: string, input: CreateScheduleCommandInput, after: Date | undefined): Entry => {
    const occurrence = nextOccurrence(input, after);
    const window =
      input.FlexibleTimeWindow?.Mode === 'FLEXIBLE'
        ? (input.FlexibleTimeWindow.MaximumWindowInMinutes ?? 0)
        : 0;
    return {
      input,
      occurrence,
      at: occurrence && new Date(occurrence.getTime() + flexibleOffsetMs(seed, name, occurrence, window)),
    };
  };

  const store = async (input: CreateScheduleCommandInput, replace = false) => {
    const name = input.Name as string;
    if (schedules.has(name) && !replace) return 'exists' as const;
    schedules.set(
      name,
      plan(name, input, /^cron/.test(input.ScheduleExpression ?? '') ? clock.now() : undefined),
    );
    return 'created' as const;
  };

  const scheduler: Scheduler = {
    createOnce: (schedule) => store(createScheduleInput(schedule, localSchedulerSettings)),
    createRecurring: (schedule) => store(createScheduleInput(schedule, localSchedulerSettings)),
    replaceOnce: async (schedule) => {
      await store(createScheduleInput(schedule, localSchedulerSettings), true);
    },
    async delete(name) {
      schedules.delete(name);
    },
  };

  const fire = (name: string) => {
    const entry = schedules.get(name);
    if (!entry?.at || !entry.occurrence) return;
    const { input, occurrence } = entry;
    const target = targets[input.Target?.Arn ?? ''] as ScheduleTarget;
    const payload = JSON.parse(
      (input.Target?.Input ?? '{}').replaceAll(SCHEDULED_TIME, occurrence.toISOString()),
    );
    if (input.ActionAfterCompletion === 'DELETE' || !/^cron/.test(input.ScheduleExpression ?? ''))
      schedules.delete(name);
    else schedules.set(name, plan(name, input, occurrence));
    deliver()(target, payload);
  };

  return {
    scheduler,
    /** The earliest schedule due at or before `until`, if any. */
    nextDue(until: Date): { name: string; at: Date; run: () => void } | undefined {
      let earliest: { name: string; at: Date } | undefined;
      for (const [name, { at }] of schedules) {
        if (at && at.getTime() <= until.getTime() && (!earliest || at.getTime() < earliest.at.getTime()))
          earliest = { name, at };
      }
      return earliest && { ...earliest, run: () => fire(earliest.name) };
    },
    fire,
    list: () =>
      [...schedules.values()].map(({ input, occurrence, at }) => ({
        ...input,
        nextOccurrence: occurrence?.toISOString(),
        nextFireAt: at?.toISOString(),
      })),
  };
};
export type LocalScheduler = ReturnType<typeof localScheduler>;
