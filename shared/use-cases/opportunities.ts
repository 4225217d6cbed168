import type { Page } from '../domain/common.ts';
import { NotFoundError, ValidationError } from '../domain/errors.ts';
import type { Opportunity, OpportunityInput, OpportunityPatch } from '../domain/opportunity.ts';
import type { Principal } from '../domain/principal.ts';
import type { CrmDependencies } from '../ports/dependencies.ts';
import { mayAccessCustomerOf, onlyAccessible } from './customer-access.ts';
import { getCustomer } from './customers.ts';
import { mergePatch } from './merge-patch.ts';
import { updateVersioned } from './versioned-update.ts';

type Deps = Pick<CrmDependencies, 'customers' | 'opportunities' | 'clock' | 'ids'>;

export const createOpportunity = async (
  deps: Deps,
  principal: Principal,
  input: OpportunityInput,
): Promise<Opportunity> => {
  const customer = await getCustomer(deps, principal, input.customerId, 'write').catch((error: unknown) => {
    if (error instanceof NotFoundError) throw ValidationError.field('customerId', 'no such customer');
    throw error;
  });
  const now = deps.clock.now().toISOString();
  const opportunity: Opportunity = {
    ...input,
    id: deps.ids.next(),
    ...(customer.ownerId ? { ownerId: customer.ownerId } : {}),
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  await deps.opportunities.create(opportunity);
  return opportunity;
};

export const getOpportunity = async (
  deps: Pick<Deps, 'opportunities' | 'customers'>,
  principal: Principal,
  id: string,
  access: 'read' | 'write' = 'read',
): Promise<Opportunity> => {
  const opportunity = await deps.opportunities.get(id);
  if (!opportunity || !(await mayAccessCustomerOf(deps, principal, opportunity.customerId, access)))
    throw new NotFoundError(`Opportunity ${id}`);
  return opportunity;
};

export const updateOpportunity = (
  deps: Deps,
  principal: Principal,
  id: string,
  patch: OpportunityPatch,
  expectedVersion: number | undefined,
): Promise<Opportunity> =>
  updateVersioned({
    load: () => getOpportunity(deps, principal, id, 'write'),
    change: (current) => mergePatch(current, patch),
    save: (current, next) => deps.opportunities.replace(current, next),
    expectedVersion,
    now: () => deps.clock.now().toISOString(),
  });

export const listOpportunities = async (
  deps: Pick<Deps, 'opportunities' | 'customers'>,
  principal: Principal,
  query: { customerId?: string | undefined; limit: number; cursor?: string | undefined },
): Promise<Page<Opportunity>> => {
  if (query.customerId && !(await mayAccessCustomerOf(deps, principal, query.customerId, 'read')))
    return { items: [] };
  const page = await deps.opportunities.list({ customerId: query.customerId }, query);
  // Sales users see only their current customers'; the page may then be short, which nextCursor makes up for.
  return { ...page, items: await onlyAccessible(deps, principal, page.items, 'read') };
};
