export const roles = ['admin', 'marketer', 'sales', 'service', 'manager'] as const;
export type Role = (typeof roles)[number];

/** Who is calling, as read from the JWT claims that API Gateway (or the local runtime) verified. */
export interface Principal {
  sub: string;
  roles: Role[];
}

const seesEveryCustomer: Record<'read' | 'write', Role[]> = {
  read: ['admin', 'marketer', 'service', 'manager'],
  write: ['admin'],
};

/**
 * The owner a principal is confined to, or undefined when they may touch every customer.
 * A sales user only ever sees and changes the customers they own.
 */
export const ownerScope = (principal: Principal, access: 'read' | 'write'): string | undefined =>
  principal.roles.some((role) => seesEveryCustomer[access].includes(role)) ? undefined : principal.sub;

export const canAccessCustomer = (
  principal: Principal,
  customer: { ownerId?: string | undefined },
  access: 'read' | 'write',
): boolean => {
  const scope = ownerScope(principal, access);
  return scope === undefined || customer.ownerId === scope;
};

/** Managers see all sales data, assign leads, decide task cancellations and read sales reports. */
export const seesAllSales = (principal: Principal): boolean =>
  principal.roles.some((role) => role === 'admin' || role === 'manager');
