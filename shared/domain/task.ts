import * as z from 'zod';
import { Id, ListQuery, UtcTimestamp, Version } from './common.ts';

export const taskStatuses = ['open', 'done', 'cancelled'] as const;

export const Task = z
  .object({
    id: Id,
    type: z.string(),
    customerId: Id,
    title: z.string(),
    reason: z.string(),
    assigneeId: z.string().optional(),
    queue: z.string().optional(),
    dueAt: UtcTimestamp,
    status: z.enum(taskStatuses),
    satisfactionId: Id.optional(),
    outcome: z.string().optional(),
    createdAt: UtcTimestamp,
    updatedAt: UtcTimestamp,
    version: Version,
  })
  .meta({ id: 'Task' });
export type Task = z.infer<typeof Task>;

export const TaskPatch = z
  .strictObject({
    status: z.enum(taskStatuses),
    outcome: z.string().trim().min(1).max(2000).optional(),
  })
  .meta({ id: 'TaskPatch' });
export type TaskPatch = z.infer<typeof TaskPatch>;

export const TaskListQuery = ListQuery.extend({
  status: z.enum(taskStatuses).optional(),
  assigneeId: z.string().min(1).max(128).optional(),
  customerId: Id.optional(),
});
export type TaskListQuery = z.infer<typeof TaskListQuery>;
