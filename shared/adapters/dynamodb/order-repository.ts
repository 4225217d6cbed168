import type { Order } from '../../domain/order.ts';
import type { OrderRepository } from '../../ports/repositories.ts';
import { entityStore } from './entity-store.ts';
import { keys } from './keys.ts';
import type { Table } from './table.ts';

/** An order's index: the customer's orders. */
export const orderIndexes = (o: Order) => keys.ofCustomer(o.customerId, 'order', o.id);

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
