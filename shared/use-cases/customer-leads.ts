import type { Customer, CustomerPatch } from '../domain/customer.ts';
import { ERASED_INTEREST, ERASED_REASON, type Lead } from '../domain/lead.ts';
import type { Principal } from '../domain/principal.ts';
import type { LeadChange } from '../ports/lead-repository.ts';
import { updateCustomer } from './customers.ts';
import { closeAssignment, reconcileCallback } from './lead-callbacks.ts';
import { handOver } from './lead-handover.ts';
import { type LeadDeps, nextVersion } from './leads.ts';

const MAX_ATTEMPTS = 3;

/**
 * Commits the change `build` makes of the lead as it is now; a lost race reads it again. `build`
 * answers undefined when there is nothing to do. True when a change was written.
 */
const settle = async (
  deps: Pick<LeadDeps, 'leads'>,
  leadId: string,
  build: (lead: Lead) => Promise<LeadChange | undefined>,
): Promise<boolean> => {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const lead = await deps.leads.get(leadId);
    const change = lead && (await build(lead));
    if (!change) return false;
    if (await deps.leads.commit(change)) return true;
  }
  // The caller is a request (the client retries) or an event (redelivered): both see the new state.
  throw new Error(`lead ${leadId} kept changing while following its customer`);
};

/**
 * The customer's open, owned leads move to the customer's current owner the way an assignment
 * moves them (the callback task goes to the new owner, an `assigned` activity is recorded), so
 * access to a lead follows the customer's owner like its opportunities, orders and tasks do. A lead
 * already with that owner is left alone, so a second run changes nothing. Closed leads stay with
 * whoever closed them (the sales reports credit them), pooled and queued leads where they wait.
 */
export const leadsFollowCustomer = async (
  deps: LeadDeps,
  customer: Pick<Customer, 'id' | 'ownerId'>,
  actorId: string,
): Promise<number> => {
  const ownerId = customer.ownerId;
  if (!ownerId) return 0;
  let moved = 0;
  for (const id of await deps.leads.idsOfCustomer(customer.id)) {
    const activityId = deps.ids.next();
    const follows = (lead: Lead) =>
      lead.status === 'open' && lead.ownerId !== undefined && lead.ownerId !== ownerId;
    const done = await settle(deps, id, async (lead) =>
      follows(lead)
        ? handOver(
            deps,
            lead,
            { ownerId },
            { type: 'assigned', id: activityId, actorId, note: `assigned to ${ownerId} with the customer` },
          )
        : undefined,
    );
    if (done) moved++;
  }
  return moved;
};

/**
 * PATCH /customers/{id}: a new owner takes the customer's open leads along. A retried request finds
 * the customer moved already and still moves any lead left behind.
 */
export const updateCustomerAndLeads = async (
  deps: LeadDeps,
  principal: Principal,
  id: string,
  patch: CustomerPatch,
  expectedVersion: number | undefined,
): Promise<Customer> => {
  const customer = await updateCustomer(deps, principal, id, patch, expectedVersion);
  if (typeof patch.ownerId === 'string') await leadsFollowCustomer(deps, customer, principal.sub);
  return customer;
};

/**
 * On customer.deleted: each of the customer's leads loses what it says about the person (interest,
 * note, companions, the region copied from the profile) and is marked erased; an open one closes
 * lost ("customer erased") with its callback and assignment tasks cancelled, so nothing more can be
 * done with it. An erased lead is skipped, so a redelivered event changes nothing.
 */
export const eraseCustomerLeads = async (deps: LeadDeps, customerId: string): Promise<number> => {
  const settings = await deps.salesSettings.get();
  let erased = 0;
  for (const id of await deps.leads.idsOfCustomer(customerId)) {
    const done = await settle(deps, id, async (lead) => {
      if (lead.erasedAt) return undefined;
      const now = deps.clock.now().toISOString();
      const next: Lead = {
        ...nextVersion(lead, now),
        interest: ERASED_INTEREST,
        companions: [],
        erasedAt: now,
      };
      delete next.note;
      delete next.region;
      if (lead.status !== 'open') return { previous: lead, next };
      Object.assign(next, { status: 'lost', lostReason: ERASED_REASON, closedAt: now });
      const tasks = [
        ...(await closeAssignment(deps, next, ERASED_REASON, now, 'cancelled')),
        ...(await reconcileCallback(deps, settings, next, { base: now, closeReason: ERASED_REASON })),
      ];
      return { previous: lead, next, tasks };
    });
    if (done) erased++;
  }
  return erased;
};
