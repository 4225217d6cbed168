import { page } from '../../domain/common.ts';
import { Task, TaskDecision, TaskListQuery, TaskPatch } from '../../domain/task.ts';
import { defineRoute, type RouteSpec } from '../route-spec.ts';

import { IdParams, salesManagers, taskWorkers } from './common.ts';

/** The tasks function's routes. */
export const tasksSpecs = {
  listTasks: defineRoute({
    method: 'GET',
    path: '/tasks',
    group: 'tasks',
    operationId: 'listTasks',
    summary: 'List tasks by status, assignee or customer',
    roles: taskWorkers,
    query: TaskListQuery,
    success: { status: 200, schema: page(Task), description: 'A page of tasks' },
  }),
  updateTask: defineRoute({
    method: 'PATCH',
    path: '/tasks/{id}',
    group: 'tasks',
    operationId: 'updateTask',
    summary: 'Close or cancel a task, with its outcome, or ask to drop it (cancel-requested, with a reason)',
    roles: taskWorkers,
    params: IdParams,
    body: TaskPatch,
    conditional: true,
    success: { status: 200, schema: Task, description: 'The updated task' },
  }),
  decideTask: defineRoute({
    method: 'POST',
    path: '/tasks/{id}/decision',
    group: 'tasks',
    operationId: 'decideTask',
    summary: 'Approve (cancels) or refuse (reopens, due today) a request to drop a task',
    roles: salesManagers,
    params: IdParams,
    body: TaskDecision,
    success: { status: 200, schema: Task, description: 'The decided task' },
  }),
} satisfies Record<string, RouteSpec>;
