import type { Task } from '../../domain/task.ts';
import type { TaskRepository } from '../../ports/repositories.ts';
import { entityStore } from './entity-store.ts';
import { keys } from './keys.ts';
import type { Table } from './table.ts';

/** A task is queued under its assignee, or under its queue when nobody is assigned. */
export const taskAssignee = (task: Pick<Task, 'assigneeId' | 'queue'>) =>
  task.assigneeId ?? `queue:${task.queue ?? 'service'}`;

/** A task's own indexes: its assignee's (or queue's) list by status and due time, and the customer's timeline. */
export const taskIndexes = (t: Task) => ({
  ...keys.taskQueue(taskAssignee(t), t.status, t.dueAt, t.id),
  ...keys.timeline(t.customerId, t.createdAt, t.id),
});

export const dynamoTaskRepository = (table: Table): TaskRepository => {
  const store = entityStore<Task>(table, 'task', taskIndexes);
  return {
    ...store,
    list: ({ status, assignee, customerId }, page) => {
      if (assignee) {
        return store.query(
          {
            index: 'gsi1',
            partition: keys.taskQueuePartition(assignee),
            ...(status ? { beginsWith: `${status}#` } : {}),
            ...(customerId ? { filter: { customerId } } : {}),
          },
          page,
        );
      }
      if (customerId) {
        return store.query(
          {
            index: 'gsi3',
            partition: keys.timelinePartition(customerId),
            newestFirst: true,
            filter: { entityType: 'task', ...(status ? { status } : {}) },
          },
          page,
        );
      }
      return store.query(
        {
          index: 'gsi2',
          partition: keys.typePartition('task'),
          newestFirst: true,
          ...(status ? { filter: { status } } : {}),
        },
        page,
      );
    },
  };
};
