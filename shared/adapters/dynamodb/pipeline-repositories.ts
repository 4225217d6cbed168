import type { Opportunity } from '../../domain/opportunity.ts';
import type { Order } from '../../domain/order.ts';
import type { Task } from '../../domain/task.ts';
import type { OpportunityRepository, OrderRepository, TaskRepository } from '../../ports/repositories.ts';
import { keys } from '../../table/keys.ts';
import { entityStore } from './entity-store.ts';
import type { Table } from './table.ts';

export const dynamoOpportunityRepository = (table: Table): OpportunityRepository => {
  const store = entityStore<Opportunity>(table, 'opportunity', (o) =>
    keys.ofCustomer(o.customerId, 'opportunity', o.id),
  );
  return {
    ...store,
    list: ({ customerId }, page) =>
      customerId
        ? store.query(
            { index: 'gsi1', partition: keys.ofCustomerPartition(customerId), beginsWith: 'OPPORTUNITY#' },
            page,
          )
        : store.query({ index: 'gsi2', partition: keys.typePartition('opportunity') }, page),
  };
};

export const dynamoOrderRepository = (table: Table): OrderRepository => {
  const store = entityStore<Order>(table, 'order', orderIndexes);
  return {
    ...store,
    list: ({ customerId }, page) =>
      customerId
        ? store.query(
            { index: 'gsi1', partition: keys.ofCustomerPartition(customerId), beginsWith: 'ORDER#' },
            page,
          )
        : store.query({ index: 'gsi2', partition: keys.typePartition('order') }, page),
  };
};

/** A task is queued under its assignee, or under its queue when nobody is assigned. */
export const taskAssignee = (task: Pick<Task, 'assigneeId' | 'queue'>) =>
  task.assigneeId ?? `queue:${task.queue ?? 'service'}`;

/** A task's own indexes: its assignee's (or queue's) list by status and due time, and the customer's timeline. */
export const taskIndexes = (t: Task) => ({
  ...keys.taskQueue(taskAssignee(t), t.status, t.dueAt, t.id),
  ...keys.timeline(t.customerId, t.createdAt, t.id),
});

/** An order's index: the customer's orders. */
export const orderIndexes = (o: Order) => keys.ofCustomer(o.customerId, 'order', o.id);

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
