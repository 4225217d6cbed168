import { inBusinessHours } from '../domain/business-hours.ts';
import type { Grade, Lead, SalesSettings } from '../domain/lead.ts';
import type { Task } from '../domain/task.ts';
import type { CrmDependencies } from '../ports/dependencies.ts';

type Deps = Pick<CrmDependencies, 'tasks' | 'customers' | 'clock' | 'ids' | 'settings'>;
export type TaskWrite = { previous?: Task; next: Task };

const DAY_MS = 86_400_000;

export const gradeOf = (settings: SalesSettings, code: string): Grade | undefined =>
  settings.grades.find((grade) => grade.code === code);

/** Position in the ladder; 0 is the hottest. Unknown grades (removed from the ladder) rank last. */
export const gradeRank = (settings: SalesSettings, code: string): number => {
  const rank = settings.grades.findIndex((grade) => grade.code === code);
  return rank === -1 ? settings.grades.length : rank;
};

/** Moves a lead to another grade: an upgrade restarts its staleness clock, any change its gradeSince. */
export const regrade = (settings: SalesSettings, lead: Lead, code: string | undefined, now: string): Lead => {
  if (code === undefined || code === lead.grade) return lead;
  const up = gradeRank(settings, code) < gradeRank(settings, lead.grade);
  return {
    ...lead,
    grade: code,
    gradeSince: now,
    lastGradeChange: up ? 'up' : 'down',
    ...(up ? { improvedAt: now } : {}),
  };
};

export const closeTask = (
  task: Task,
  status: 'done' | 'cancelled',
  outcome: string,
  now: string,
): TaskWrite => ({
  previous: task,
  next: { ...task, status, outcome, closedAt: now, updatedAt: now, version: task.version + 1 },
});

/**
 * Keeps the one-open-callback rule for a lead that is about to be written as `lead` (mutated in
 * place: callbackTaskId, nextCallbackAt): the open callback is completed (`completeWith`), or
 * cancelled when the lead no longer needs one or changed hands, or moved to its new due time; a
 * new one is planned `callbackEveryDays` after `base`, never in the past, in the customer's
 * business hours. Returns the task writes for the lead's transaction.
 */
export const reconcileCallback = async (
  deps: Deps,
  settings: SalesSettings,
  lead: Lead,
  options: { base: string; completeWith?: string | undefined; closeReason: string; newTaskId?: string },
): Promise<TaskWrite[]> => {
  const now = deps.clock.now();
  const nowIso = now.toISOString();
  const writes: TaskWrite[] = [];
  let current = lead.callbackTaskId ? await deps.tasks.get(lead.callbackTaskId) : undefined;
  if (current && current.status !== 'open' && current.status !== 'cancel-requested') current = undefined;

  const every = gradeOf(settings, lead.grade)?.callbackEveryDays;
  const wanted = lead.status === 'open' && lead.ownerId !== undefined && every !== undefined;

  if (current && (options.completeWith !== undefined || !wanted || current.assigneeId !== lead.ownerId)) {
    writes.push(
      options.completeWith !== undefined
        ? closeTask(current, 'done', options.completeWith, nowIso)
        : closeTask(current, 'cancelled', options.closeReason, nowIso),
    );
    current = undefined;
  }
  if (!wanted || every === undefined) {
    delete lead.callbackTaskId;
    delete lead.nextCallbackAt;
    return writes;
  }
  const customer = await deps.customers.get(lead.customerId);
  const timezone = customer?.timezone ?? deps.settings.defaultTimezone;
  const planned = Math.max(Date.parse(options.base) + every * DAY_MS, now.getTime());
  const dueAt = inBusinessHours(new Date(planned), timezone).toISOString();
  lead.nextCallbackAt = dueAt;
  if (current) {
    lead.callbackTaskId = current.id;
    if (current.dueAt !== dueAt || current.status !== 'open')
      writes.push({
        previous: current,
        next: { ...current, dueAt, updatedAt: nowIso, version: current.version + 1 },
      });
    return writes;
  }
  const task: Task = {
    id: options.newTaskId ?? deps.ids.next(),
    type: 'callback',
    customerId: lead.customerId,
    leadId: lead.id,
    title: `Call back ${customer?.name ?? 'the customer'} about ${lead.interest} (grade ${lead.grade})`,
    reason: `Grade ${lead.grade}: a callback every ${every} days`,
    assigneeId: lead.ownerId as string,
    dueAt,
    status: 'open',
    createdAt: nowIso,
    updatedAt: nowIso,
    version: 1,
  };
  lead.callbackTaskId = task.id;
  writes.push({ next: task });
  return writes;
};

/** The task that asks managers to assign a lead that has no owner and no pool. */
export const assignmentTask = (lead: Lead, id: string, reason: string, now: string): Task => ({
  id,
  type: 'assignment',
  customerId: lead.customerId,
  leadId: lead.id,
  title: `Assign the lead for ${lead.interest} (grade ${lead.grade})`,
  reason,
  queue: 'manager',
  dueAt: now,
  status: 'open',
  createdAt: now,
  updatedAt: now,
  version: 1,
});

/** Closes the lead's open assignment task, once someone holds the lead (or nobody ever will). */
export const closeAssignment = async (
  deps: Pick<Deps, 'tasks'>,
  lead: Lead,
  outcome: string,
  now: string,
  status: 'done' | 'cancelled' = 'done',
): Promise<TaskWrite[]> => {
  if (!lead.assignmentTaskId) return [];
  const task = await deps.tasks.get(lead.assignmentTaskId);
  delete lead.assignmentTaskId;
  if (!task || (task.status !== 'open' && task.status !== 'cancel-requested')) return [];
  return [closeTask(task, status, outcome, now)];
};
