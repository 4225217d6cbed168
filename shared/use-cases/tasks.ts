import type { Page } from '../domain/common.ts';
import { NotFoundError, ValidationError } from '../domain/errors.ts';
import type { Principal } from '../domain/principal.ts';
import type { Task, TaskListQuery, TaskPatch } from '../domain/task.ts';
import type { Cause } from '../events/domain-event.ts';
import type { CrmDependencies } from '../ports/dependencies.ts';
import { checkTaskPatch, patchedTask } from './task-decisions.ts';
import { updateVersioned } from './versioned-update.ts';

type Deps = Pick<CrmDependencies, 'tasks' | 'clock'>;

/** Admins and service staff work every task; anyone else sees the tasks assigned to them. */
const seesAllTasks = (principal: Principal) =>
  principal.roles.some((role) => role === 'admin' || role === 'service' || role === 'manager');

export const getTask = async (deps: Pick<Deps, 'tasks'>, principal: Principal, id: string): Promise<Task> => {
  const task = await deps.tasks.get(id);
  if (!task || (!seesAllTasks(principal) && task.assigneeId !== principal.sub))
    throw new NotFoundError(`Task ${id}`);
  return task;
};

export const listTasks = (
  deps: Pick<Deps, 'tasks'>,
  principal: Principal,
  query: TaskListQuery,
): Promise<Page<Task>> => {
  if (!seesAllTasks(principal) && query.assigneeId !== undefined && query.assigneeId !== principal.sub) {
    return Promise.resolve({ items: [] });
  }
  const assignee = seesAllTasks(principal) ? query.assigneeId : principal.sub;
  return deps.tasks.list(
    { status: query.status, assignee, customerId: assignee ? undefined : query.customerId },
    query,
  );
};

export const updateTask = (
  deps: Deps,
  principal: Principal,
  id: string,
  patch: TaskPatch,
  expectedVersion: number | undefined,
): Promise<Task> => {
  if (patch.status === 'done' && patch.outcome === undefined) {
    throw ValidationError.field('outcome', 'is required to close a task as done');
  }
  return updateVersioned({
    load: async () => {
      const task = await getTask(deps, principal, id);
      checkTaskPatch(principal, task, patch);
      return task;
    },
    change: (current) => patchedTask(current, patch, deps.clock.now().toISOString()),
    save: (current, next) => deps.tasks.replace(current, next),
    expectedVersion,
    now: () => deps.clock.now().toISOString(),
  });
};

/** Creates a task under a caller-chosen stable id; a repeated call returns the existing task. */
export const createTask = async (
  deps: Deps,
  task: Task,
  cause?: Cause,
): Promise<{ task: Task; created: boolean }> => {
  const created = await deps.tasks.create(task, cause);
  return { task: created ? task : ((await deps.tasks.get(task.id)) ?? task), created };
};
