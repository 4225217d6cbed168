import * as z from 'zod';
import { Id, ListQuery, UtcTimestamp, Version } from './common.ts';

export const taskStatuses = ['open', 'done', 'cancelled', 'cancel-requested'] as const;

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
    /** The lead a callback or assignment task belongs to. */
    leadId: Id.optional(),
    /** Why the assignee asked to drop the task (status cancel-requested). */
    cancelReason: z.string().optional(),
    /** The manager's answer to a cancel request. */
    decision: z
      .object({ approve: z.boolean(), note: z.string().optional(), by: z.string(), at: UtcTimestamp })
      .optional(),
    /** When the daily sweep found it still open after its due day (callbacks). */
    overdueAt: UtcTimestamp.optional(),
    /** When it was done or cancelled. */
    closedAt: UtcTimestamp.optional(),
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
    /** Required with status cancel-requested: why the task cannot be done. */
    reason: z.string().trim().min(1).max(2000).optional(),
  })
  .meta({ id: 'TaskPatch' });

export const TaskDecision = z
  .strictObject({ approve: z.boolean(), note: z.string().trim().min(1).max(2000).optional() })
  .meta({ id: 'TaskDecision' });
export type TaskDecision = z.infer<typeof TaskDecision>;
export type TaskPatch = z.infer<typeof TaskPatch>;

export const TaskListQuery = ListQuery.extend({
  status: z.enum(taskStatuses).optional(),
  assigneeId: z.string().min(1).max(128).optional(),
  customerId: Id.optional(),
});
export type TaskListQuery = z.infer<typeof TaskListQuery>;
