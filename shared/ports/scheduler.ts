/**
 * What a schedule can invoke: the two delivery functions, the daily lead sweep (its cron is made by
 * the CDK in AWS, and at start-up locally), or the broadcast send queue, which a deferred broadcast
 * recipient is put back on when its time comes.
 */
export type ScheduleTarget = 'deliver-touchpoint' | 'run-broadcast' | 'sweep-stale-leads' | 'broadcast-queue';

/** The daily stale-lead sweep: 00:05 every day in the deployment's time zone. */
export const DAILY_SWEEP = { name: 'daily-lead-sweep', cron: '5 0 * * ? *' } as const;

export interface OneTimeSchedule {
  name: string;
  /** Local wall-clock time in `timezone`, yyyy-mm-ddThh:mm:ss, as Scheduler's at() takes it. */
  at: string;
  timezone: string;
  target: ScheduleTarget;
  payload: Record<string, unknown>;
  /** How late Scheduler may fire it (default 15 minutes); 0 fires on the minute, for deferrals into a window. */
  flexibleMinutes?: number;
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
  /** Creates the one-time schedule, or replaces the one of that name in place (UpdateSchedule). */
  replaceOnce(schedule: OneTimeSchedule): Promise<void>;
  /** Deleting a schedule that is gone (fired, or never made) is not an error. */
  delete(name: string): Promise<void>;
}

/** The payload Scheduler hands the target; `occurrence` is Scheduler's <aws.scheduler.scheduled-time>. */
export const SCHEDULED_TIME = '<aws.scheduler.scheduled-time>';
