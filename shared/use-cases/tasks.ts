import type { Page } from '../domain/common.ts';
import { NotFoundError, ValidationError } from '../domain/errors.ts';
import type { Principal } from '../domain/principal.ts';
import type { Task, TaskListQuery, TaskPatch } from '../domain/task.ts';
import type { Cause } from '../events/domain-event.ts';
import type { CrmDependencies } from '../ports/dependencies.ts';
import { mayAccessCustomerOf, onlyAccessible } from './customer-access.ts';
import { checkTaskPatch, patchedTask } from './task-decisions.ts';
import { updateVersioned } from './versioned-update.ts';

type Deps = Pick<CrmDependencies, 'tasks' | 'customers' | 'clock'>;

/** Admins and service staff work every task; a salesperson works the tasks of the customers they own now. */
const seesAllTasks = (principal: Principal) =>
  principal.roles.some((role) => role === 'admin' || role === 'service' || role === 'manager');

export const getTask = async (
  deps: Pick<Deps, 'tasks' | 'customers'>,
  principal: Principal,
  id: string,
): Promise<Task> => {
  const task = await deps.tasks.get(id);
  if (
    !task ||
    !(seesAllTasks(principal) || (await mayAccessCustomerOf(deps, principal, task.customerId, 'write')))
  )
    throw new NotFoundError(`Task ${id}`);
  return task;
};

/**
 * Every filter applies together. A salesperson without `customerId` gets their own queue (what is
 * assigned to them), and only ever tasks of customers they own now.
 */
export const listTasks = async (
  deps: Pick<Deps, 'tasks' | 'customers'>,
  principal: Principal,
  query: TaskListQuery,
): Promise<Page<Task>> => {
  const filter = { status: query.status, assignee: query.assigneeId, customerId: query.customerId };
  if (seesAllTasks(principal)) return deps.tasks.list(filter, query);
  if (query.customerId && !(await mayAccessCustomerOf(deps, principal, query.customerId, 'read')))
    return { items: [] };
  const page = await deps.tasks.list(
    { ...filter, assignee: query.assigneeId ?? (query.customerId ? undefined : principal.sub) },
    query,
  );
  return { ...page, items: await onlyAccessible(deps, principal, page.items, 'read') };
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
