import { page } from '../../domain/common.ts';
import { Task, TaskListQuery, TaskPatch } from '../../domain/task.ts';
import { defineRoute, type RouteSpec } from '../route-spec.ts';

import { IdParams, taskWorkers } from './common.ts';

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
    summary: 'Close or cancel a task, with its outcome',
    roles: taskWorkers,
    params: IdParams,
    body: TaskPatch,
    conditional: true,
    success: { status: 200, schema: Task, description: 'The updated task' },
  }),
} satisfies Record<string, RouteSpec>;
