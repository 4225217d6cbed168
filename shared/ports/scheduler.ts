/** The functions a schedule can invoke. The daily lead sweep's cron is made by the CDK in AWS, and at start-up locally. */
export type ScheduleTarget = 'deliver-touchpoint' | 'run-broadcast' | 'sweep-stale-leads';

/** The daily stale-lead sweep: 00:05 every day in the deployment's time zone. */
export const DAILY_SWEEP = { name: 'daily-lead-sweep', cron: '5 0 * * ? *' } as const;

export interface OneTimeSchedule {
  name: string;
  /** Local wall-clock time in `timezone`, yyyy-mm-ddThh:mm:ss, as Scheduler's at() takes it. */
  at: string;
  timezone: string;
  target: ScheduleTarget;
  payload: Record<string, unknown>;
}

export interface RecurringSchedule {
  name: string;
  cron: string;
  timezone: string;
  target: ScheduleTarget;
  payload: Record<string, unknown>;
}

/**
 * EventBridge Scheduler. Names are deterministic, so creating a schedule that already exists
 * reports 'exists' (a ConflictException in AWS) instead of making a second one.
 */
export interface Scheduler {
  createOnce(schedule: OneTimeSchedule): Promise<'created' | 'exists'>;
  createRecurring(schedule: RecurringSchedule): Promise<'created' | 'exists'>;
  /** Deleting a schedule that is gone (fired, or never made) is not an error. */
  delete(name: string): Promise<void>;
}

/** The payload Scheduler hands the target; `occurrence` is Scheduler's <aws.scheduler.scheduled-time>. */
export const SCHEDULED_TIME = '<aws.scheduler.scheduled-time>';
