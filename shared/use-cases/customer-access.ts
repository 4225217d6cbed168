import { canAccessCustomer, ownerScope, type Principal } from '../domain/principal.ts';
import type { CustomerRepository } from '../ports/repositories.ts';

type Deps = { customers: Pick<CustomerRepository, 'get'> };

/**
 * Whether the principal may act on something that hangs off a customer (an opportunity, order,
 * task), judged by who owns the customer NOW: an owner stamped on the record when it was made goes
 * stale the moment the customer moves to another salesperson.
 */
export const mayAccessCustomerOf = async (
  deps: Deps,
  principal: Principal,
  customerId: string,
  access: 'read' | 'write',
): Promise<boolean> => {
  if (ownerScope(principal, access) === undefined) return true;
  const customer = await deps.customers.get(customerId);
  return customer !== undefined && canAccessCustomer(principal, customer, access);
};

/** The items of a page the principal may see, looking each distinct customer up once. */
export const onlyAccessible = async <T extends { customerId: string }>(
  deps: Deps,
  principal: Principal,
  items: T[],
  access: 'read' | 'write',
): Promise<T[]> => {
  if (ownerScope(principal, access) === undefined) return items;
  const ids = [...new Set(items.map((item) => item.customerId))];
  const allowed = new Map(
    await Promise.all(
      ids.map(async (id) => [id, await mayAccessCustomerOf(deps, principal, id, access)] as const),
    ),
  );
  return items.filter((item) => allowed.get(item.customerId) === true);
};
