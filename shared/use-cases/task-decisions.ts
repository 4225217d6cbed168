import { endOfBusinessDay } from '../domain/business-hours.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../domain/errors.ts';
import type { Principal } from '../domain/principal.ts';
import type { Task, TaskDecision, TaskPatch } from '../domain/task.ts';
import type { CrmDependencies } from '../ports/dependencies.ts';
import { closeTask, reconcileCallback } from './lead-callbacks.ts';
import { changeLead, type LeadDeps, nextVersion } from './leads.ts';

/**
 * What PATCH /tasks/{id} may do beyond open/done/cancelled: the assignee asks to drop a task
 * (cancel-requested, with a reason) and may withdraw the request (open). A callback keeps its
 * lead's one-open-callback rule, whoever asks: it is completed by recording a contact on its lead,
 * dropped only through a manager's decision, and once closed stays closed (the lead plans the next).
 */
export const checkTaskPatch = (principal: Principal, task: Task, patch: TaskPatch): void => {
  if (patch.status === 'cancel-requested') {
    if (patch.reason === undefined)
      throw ValidationError.field('reason', 'is required to ask for a cancellation');
    if (task.assigneeId !== principal.sub)
      throw new ForbiddenError('Only the assignee can ask to drop a task.');
    if (task.status !== 'open') throw new ConflictError(`Task ${task.id} is ${task.status}.`);
    return;
  }
  if (task.type !== 'callback') return;
  if (patch.status === 'cancelled')
    throw ValidationError.field(
      'status',
      'a callback is dropped with a manager’s approval: the assignee sends status cancel-requested with a reason, then POST /tasks/{id}/decision',
    );
  if (patch.status === 'done')
    throw ValidationError.field(
      'status',
      `a callback is completed by recording a contact: POST /leads/${task.leadId}/activities`,
    );
  if (task.status === 'done' || task.status === 'cancelled')
    throw ValidationError.field(
      'status',
      `a ${task.status} callback cannot be reopened; its lead plans the next one`,
    );
};

/** The fields a permitted patch sets. */
export const patchedTask = (task: Task, patch: TaskPatch, now: string): Task => ({
  ...task,
  status: patch.status,
  ...(patch.outcome ? { outcome: patch.outcome } : {}),
  ...(patch.status === 'cancel-requested' ? { cancelReason: patch.reason } : {}),
  ...(patch.status === 'done' || patch.status === 'cancelled' ? { closedAt: now } : {}),
});

type Deps = LeadDeps & Pick<CrmDependencies, 'tasks'>;

/**
 * A manager's answer to a cancel request: approval cancels the task (a callback's lead gets its
 * next callback one cadence from now); refusal reopens it, due by the end of today's business hours.
 */
export const decideTask = async (
  deps: Deps,
  principal: Principal,
  id: string,
  decision: TaskDecision,
): Promise<Task> => {
  const task = await deps.tasks.get(id);
  if (!task) throw new NotFoundError(`Task ${id}`);
  if (task.status !== 'cancel-requested')
    throw new ConflictError(
      `Task ${id} is ${task.status}; only a task whose cancellation was requested can be decided.`,
    );
  const now = deps.clock.now();
  const nowIso = now.toISOString();
  const recorded = {
    approve: decision.approve,
    ...(decision.note ? { note: decision.note } : {}),
    by: principal.sub,
    at: nowIso,
  };
  const lead = task.leadId ? await deps.leads.get(task.leadId) : undefined;

  if (!decision.approve) {
    const customer = await deps.customers.get(task.customerId);
    const dueAt = endOfBusinessDay(now, customer?.timezone ?? deps.settings.defaultTimezone).toISOString();
    const next: Task = {
      ...task,
      status: 'open',
      dueAt,
      decision: recorded,
      updatedAt: nowIso,
      version: task.version + 1,
    };
    if (!(await deps.tasks.replace(task, next)))
      throw new ConflictError(`Task ${id} changed meanwhile; try again.`);
    if (lead && lead.callbackTaskId === task.id && lead.status === 'open') {
      await changeLead(
        deps,
        async () => (await deps.leads.get(lead.id)) ?? lead,
        async (current) => ({
          previous: current,
          next: { ...nextVersion(current, nowIso), nextCallbackAt: dueAt },
        }),
      ).catch(() => undefined); // the task is what matters; the lead's copy of the due time catches up on its next change
    }
    return next;
  }

  const cancelled = {
    ...closeTask(task, 'cancelled', decision.note ?? 'cancellation approved', nowIso).next,
    decision: recorded,
  };
  if (!lead || lead.callbackTaskId !== task.id) {
    if (!(await deps.tasks.replace(task, cancelled)))
      throw new ConflictError(`Task ${id} changed meanwhile; try again.`);
    return cancelled;
  }
  const settings = await deps.salesSettings.get();
  await changeLead(
    deps,
    async () => (await deps.leads.get(lead.id)) ?? lead,
    async (current) => {
      const next = nextVersion(current, nowIso);
      delete next.callbackTaskId;
      const planned = await reconcileCallback(deps, settings, next, {
        base: nowIso,
        closeReason: 'cancellation approved',
      });
      return { previous: current, next, tasks: [{ previous: task, next: cancelled }, ...planned] };
    },
  );
  return cancelled;
};
