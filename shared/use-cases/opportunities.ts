import type { Page } from '../domain/common.ts';
import { NotFoundError, ValidationError } from '../domain/errors.ts';
import {
  type Opportunity,
  type OpportunityInput,
  type OpportunityPatch,
  stageProbability,
} from '../domain/opportunity.ts';
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
    probability: input.probability ?? stageProbability[input.stage],
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
    change: (current) => withStageRules(current, mergePatch(current, patch), patch),
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

/** A stage change brings the stage's probability unless one is given; losing remembers the stage reached. */
const withStageRules = (current: Opportunity, next: Opportunity, patch: OpportunityPatch): Opportunity => {
  if (next.stage === current.stage) return next;
  const moved: Opportunity = {
    ...next,
    probability: patch.probability ?? stageProbability[next.stage],
  };
  if (next.stage === 'lost' && current.stage !== 'won') moved.lostFromStage = current.stage;
  if (next.stage !== 'lost') delete moved.lostFromStage;
  return moved;
};
