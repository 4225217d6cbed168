import type { Page } from '../domain/common.ts';
import { NotFoundError } from '../domain/errors.ts';
import type { Opportunity } from '../domain/opportunity.ts';
import type { Order } from '../domain/order.ts';
import type { Principal } from '../domain/principal.ts';
import type { Cause } from '../events/domain-event.ts';
import type { CrmDependencies } from '../ports/dependencies.ts';
import { mayAccessCustomerOf, onlyAccessible } from './customer-access.ts';
import { stableId } from './stable-id.ts';
import { updateVersioned } from './versioned-update.ts';

type Deps = Pick<CrmDependencies, 'customers' | 'orders' | 'clock'>;

export const getOrder = async (
  deps: Deps,
  principal: Principal,
  id: string,
  access: 'read' | 'write' = 'read',
) => {
  const order = await deps.orders.get(id);
  if (!order || !(await mayAccessCustomerOf(deps, principal, order.customerId, access)))
    throw new NotFoundError(`Order ${id}`);
  return order;
};

export const updateOrderStatus = (
  deps: Deps,
  principal: Principal,
  id: string,
  status: Order['status'],
  expectedVersion: number | undefined,
): Promise<Order> =>
  updateVersioned({
    load: () => getOrder(deps, principal, id, 'write'),
    change: (current) => ({ ...current, status }),
    save: (current, next) => deps.orders.replace(current, next),
    expectedVersion,
    now: () => deps.clock.now().toISOString(),
  });

export const listOrders = async (
  deps: Deps,
  principal: Principal,
  query: { customerId?: string | undefined; limit: number; cursor?: string | undefined },
): Promise<Page<Order>> => {
  if (query.customerId && !(await mayAccessCustomerOf(deps, principal, query.customerId, 'read')))
    return { items: [] };
  const page = await deps.orders.list({ customerId: query.customerId }, query);
  return { ...page, items: await onlyAccessible(deps, principal, page.items, 'read') };
};

/**
 * One order per won opportunity: its id is derived from the opportunity, so a redelivered or
 * repeated "won" event finds the order already there instead of creating a second one.
 */
export const createOrderForOpportunity = async (
  deps: Pick<Deps, 'orders' | 'clock'>,
  opportunity: Opportunity,
  status: Order['status'],
  cause: Cause,
): Promise<{ order: Order; created: boolean }> => {
  const id = stableId(opportunity.createdAt, `order-for:${opportunity.id}`);
  const now = deps.clock.now().toISOString();
  const order: Order = {
    id,
    customerId: opportunity.customerId,
    opportunityId: opportunity.id,
    amount: opportunity.amount,
    status,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  const created = await deps.orders.create(order, cause);
  return { order: created ? order : ((await deps.orders.get(id)) ?? order), created };
};
