import type { Lead } from '../domain/lead.ts';
import type { CrmDependencies } from '../ports/dependencies.ts';

/**
 * The customer follows the lead to its owner, so the owner can open the customer, its timeline
 * and its tasks (access to those follows the customer's owner). Used wherever a lead gets an owner:
 * create, claim, assign, route. Retried on a lost race; a customer deleted meanwhile is left alone.
 */
export const customerFollows = async (
  deps: Pick<CrmDependencies, 'customers' | 'clock'>,
  lead: Lead,
): Promise<void> => {
  if (!lead.ownerId) return;
  for (let attempt = 1; attempt <= 3; attempt++) {
    const customer = await deps.customers.get(lead.customerId);
    if (!customer || customer.ownerId === lead.ownerId) return;
    const next = {
      ...customer,
      ownerId: lead.ownerId,
      updatedAt: deps.clock.now().toISOString(),
      version: customer.version + 1,
    };
    if (await deps.customers.replace(customer, next)) return;
  }
};
