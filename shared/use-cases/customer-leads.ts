import type { Customer, CustomerPatch } from '../domain/customer.ts';
import { ERASED_INTEREST, ERASED_REASON, type Lead } from '../domain/lead.ts';
import type { Principal } from '../domain/principal.ts';
import { updateCustomer } from './customers.ts';
import { closeAssignment, closeTask, reconcileCallback } from './lead-callbacks.ts';
import { leadsFollowCustomer, settleLead } from './lead-handover.ts';
import { type LeadDeps, nextVersion } from './leads.ts';

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
    const done = await settleLead(deps, id, async (lead) => {
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

/**
 * On customer.deleted, after the leads: every task still open about the customer (a follow-up, a
 * rule's task) is cancelled, so nobody is asked to call a person who is gone. Safe to run twice.
 */
export const cancelCustomerTasks = async (
  deps: Pick<LeadDeps, 'tasks' | 'clock'>,
  customerId: string,
): Promise<number> => {
  let cancelled = 0;
  for (const status of ['open', 'cancel-requested'] as const) {
    let cursor: string | undefined;
    do {
      const page = await deps.tasks.list({ status, customerId }, { limit: 100, cursor });
      for (const task of page.items) {
        const { next } = closeTask(task, 'cancelled', ERASED_REASON, deps.clock.now().toISOString());
        // A task changed meanwhile is read again by the redelivered event (it throws below).
        if (!(await deps.tasks.replace(task, next)))
          throw new Error(`task ${task.id} changed while cancelling`);
        cancelled++;
      }
      cursor = page.nextCursor;
    } while (cursor);
  }
  return cancelled;
};
