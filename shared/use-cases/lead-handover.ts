import type { Customer } from '../domain/customer.ts';
import { ConflictError } from '../domain/errors.ts';
import { type Activity, type Lead, MANAGER_QUEUE, MARKETING_POOL, type WinInput } from '../domain/lead.ts';
import type { Order } from '../domain/order.ts';
import type { Principal } from '../domain/principal.ts';
import { localParts, zonedToUtc } from '../domain/zoned-time.ts';
import type { Cause } from '../events/domain-event.ts';
import type { CrmDependencies } from '../ports/dependencies.ts';
import type { LeadChange } from '../ports/lead-repository.ts';
import { customerFollows } from './customer-follows-lead.ts';
import { assignmentTask, closeAssignment, reconcileCallback } from './lead-callbacks.ts';
import { changeLead, getLead, type LeadDeps, nextVersion, requireOpen } from './leads.ts';
import { knownProducts } from './products.ts';
import { stableId } from './stable-id.ts';

type Holder = { ownerId: string } | { pool: string };

const systemActivity = (
  lead: Lead,
  id: string,
  type: Activity['type'],
  actorId: string,
  now: string,
  note?: string,
): Activity => ({
  id,
  leadId: lead.id,
  customerId: lead.customerId,
  type,
  at: now,
  ...(note ? { note } : {}),
  ...(lead.ownerId ? { ownerId: lead.ownerId } : {}),
  actorId,
  createdAt: now,
});

/**
 * Hands an open lead to an owner or a pool: its staleness clock restarts, the previous owner's
 * callback is cancelled, the new owner's is planned, and a waiting assignment task is closed.
 */
const handOver = async (
  deps: LeadDeps,
  current: Lead,
  to: Holder,
  activity: { type: Activity['type']; id: string; actorId: string; note?: string },
  cause?: Cause,
): Promise<LeadChange> => {
  const settings = await deps.salesSettings.get();
  const now = deps.clock.now().toISOString();
  const next = nextVersion(current, now);
  delete next.ownerId;
  delete next.pool;
  delete next.queue;
  Object.assign(next, to, { improvedAt: now }, current.pool ? { lastPool: current.pool } : {});
  const label = 'ownerId' in to ? `assigned to ${to.ownerId}` : `moved to the ${to.pool} pool`;
  const tasks = [
    ...(await closeAssignment(deps, next, label, now)),
    ...(await reconcileCallback(deps, settings, next, { base: now, closeReason: `lead ${label}` })),
  ];
  return {
    previous: current,
    next,
    activities: [
      systemActivity(next, activity.id, activity.type, activity.actorId, now, activity.note ?? label),
    ],
    tasks,
    ...(cause ? { cause } : {}),
  };
};

/**
 * Commits the change `build` makes of the lead as it is now; a lost race reads it again. `build`
 * answers undefined when there is nothing to do. True when a change was written.
 */
export const settleLead = async (
  deps: Pick<LeadDeps, 'leads'>,
  leadId: string,
  build: (lead: Lead) => Promise<LeadChange | undefined>,
): Promise<boolean> => {
  for (let attempt = 1; attempt <= 3; attempt++) {
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
    const done = await settleLead(deps, id, async (lead) =>
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
 * The customer follows the lead to its owner, and the customer's other open leads follow the
 * customer: one owner holds everything about a customer.
 */
const customerAndLeadsFollow = async (deps: LeadDeps, lead: Lead): Promise<void> => {
  if (!lead.ownerId) return;
  await customerFollows(deps, lead);
  await leadsFollowCustomer(deps, { id: lead.customerId, ownerId: lead.ownerId }, 'system:lead-handover');
};

/** First claim wins: a lead that has left its pool meanwhile answers 409. */
export const claimLead = async (deps: LeadDeps, principal: Principal, id: string): Promise<Lead> => {
  const activityId = deps.ids.next();
  const change = await changeLead(
    deps,
    async () => {
      // Whoever could see the lead in its pool may learn that it was taken: 409, not 404.
      const lead = await deps.leads.get(id);
      return lead && (lead.pool !== undefined || lead.lastPool !== undefined)
        ? lead
        : getLead(deps, principal, id);
    },
    async (current) => {
      if (current.status !== 'open' || !current.pool || current.ownerId)
        throw new ConflictError(`Lead ${id} is not in a pool any more.`);
      return handOver(
        deps,
        current,
        { ownerId: principal.sub },
        { type: 'claimed', id: activityId, actorId: principal.sub },
      );
    },
  );
  await customerAndLeadsFollow(deps, change.next);
  return change.next;
};

export const assignLead = async (
  deps: LeadDeps,
  principal: Principal,
  id: string,
  ownerId: string,
): Promise<Lead> => {
  const activityId = deps.ids.next();
  const change = await changeLead(
    deps,
    () => getLead(deps, principal, id, 'write'),
    async (current) => {
      requireOpen(current);
      return handOver(
        deps,
        current,
        { ownerId },
        { type: 'assigned', id: activityId, actorId: principal.sub },
      );
    },
  );
  await customerAndLeadsFollow(deps, change.next);
  return change.next;
};

/** The automation action: routes a lead to a pool or an owner (e.g. by region), once per event. */
export const routeLead = async (
  deps: LeadDeps,
  leadId: string,
  to: Holder,
  cause: Cause,
): Promise<'done' | 'unchanged' | string> => {
  const settings = await deps.salesSettings.get();
  if ('pool' in to && !settings.pools.some((pool) => pool.id === to.pool))
    return `no pool ${to.pool} in the sales settings`;
  const lead = await deps.leads.get(leadId);
  if (!lead) return `lead ${leadId} no longer exists`;
  if (lead.status !== 'open') return 'unchanged';
  if ('ownerId' in to ? lead.ownerId === to.ownerId : lead.pool === to.pool) return 'unchanged';
  const change = await handOver(
    deps,
    lead,
    to,
    {
      type: 'ownerId' in to ? 'assigned' : 'pooled',
      id: stableId(lead.createdAt, `route:${cause.eventId}:${cause.ruleId}`),
      actorId: `rule:${cause.ruleId}`,
    },
    cause,
  );
  // A lost race means the lead changed meanwhile; the event is retried and sees the new state.
  if (!(await deps.leads.commit(change))) throw new Error(`lead ${leadId} changed while routing; retrying`);
  await customerAndLeadsFollow(deps, change.next);
  return 'done';
};

export const winLead = async (
  deps: LeadDeps & Pick<CrmDependencies, 'products'>,
  principal: Principal,
  id: string,
  input: WinInput,
): Promise<Lead> => {
  if (input.items) await knownProducts(deps, input.items);
  const activityId = deps.ids.next();
  const orderId = deps.ids.next();
  const settings = await deps.salesSettings.get();
  const change = await changeLead(
    deps,
    () => getLead(deps, principal, id, 'write'),
    async (current) => {
      requireOpen(current);
      const now = deps.clock.now().toISOString();
      const next: Lead = {
        ...nextVersion(current, now),
        status: 'won',
        amount: input.amount,
        orderId,
        closedAt: now,
      };
      const order: Order = {
        id: orderId,
        customerId: current.customerId,
        leadId: current.id,
        amount: input.amount,
        ...(input.items ? { items: input.items } : {}),
        status: 'pending',
        createdAt: now,
        updatedAt: now,
        version: 1,
      };
      const tasks = [
        ...(await closeAssignment(deps, next, 'lead won', now)),
        ...(await reconcileCallback(deps, settings, next, { base: now, closeReason: 'lead won' })),
      ];
      const activity = systemActivity(next, activityId, 'won', principal.sub, now, `order ${orderId}`);
      return { previous: current, next, order, tasks, activities: [activity] };
    },
  );
  return change.next;
};

export const loseLead = async (
  deps: LeadDeps,
  principal: Principal,
  id: string,
  reason: string,
): Promise<Lead> => {
  const activityId = deps.ids.next();
  const settings = await deps.salesSettings.get();
  const change = await changeLead(
    deps,
    () => getLead(deps, principal, id, 'write'),
    async (current) => {
      requireOpen(current);
      const now = deps.clock.now().toISOString();
      const next: Lead = { ...nextVersion(current, now), status: 'lost', lostReason: reason, closedAt: now };
      const tasks = [
        ...(await closeAssignment(deps, next, 'lead lost', now)),
        ...(await reconcileCallback(deps, settings, next, { base: now, closeReason: 'lead lost' })),
      ];
      return {
        previous: current,
        next,
        tasks,
        activities: [systemActivity(next, activityId, 'lost', principal.sub, now, reason)],
      };
    },
  );
  return change.next;
};

const DAY_MS = 86_400_000;
const SWEEP_PAGE = 100;

/**
 * The daily sweep (an EventBridge Scheduler cron): every open, owned lead whose grade has not
 * improved for its grade's `staleAfterDays` is taken from its owner. `reassign` puts it in the
 * managers' queue with an assignment task; `pool` moves it to the grade's pool; a lead that was
 * stale before goes to the marketing pool. Idempotent: a taken lead has no owner, so it leaves the
 * index the sweep reads, and every id it writes derives from the lead and its stale count.
 */
export const sweepStaleLeads = async (
  deps: LeadDeps & Pick<CrmDependencies, 'counters'>,
): Promise<{ reassigned: number; pooled: number; skipped: number; overdue: number }> => {
  const settings = await deps.salesSettings.get();
  const now = deps.clock.now();
  const result = { reassigned: 0, pooled: 0, skipped: 0, overdue: 0 };
  result.overdue = await markOverdueCallbacks(deps);
  for (const grade of settings.grades) {
    if (grade.staleAfterDays === undefined) continue;
    const before = new Date(now.getTime() - grade.staleAfterDays * DAY_MS).toISOString();
    let cursor: string | undefined;
    do {
      const page = await deps.leads.staleCandidates(grade.code, before, { limit: SWEEP_PAGE, cursor });
      for (const lead of page.items) {
        const outcome = await takeStaleLead(deps, lead, grade.onStale === 'pool' ? grade.pool : undefined);
        result[outcome]++;
      }
      cursor = page.nextCursor;
    } while (cursor);
  }
  return result;
};

/**
 * Marks the callbacks still open after their due day as overdue (once: a marked one is skipped),
 * so the report counts them on the day they fell due. The owners to look at are those with open
 * leads (the report's grade counters); each one's open tasks are read in due order, up to today.
 */
const markOverdueCallbacks = async (deps: LeadDeps & Pick<CrmDependencies, 'counters'>): Promise<number> => {
  const now = deps.clock.now().toISOString();
  const today = zonedToUtc(
    { ...localParts(deps.clock.now(), deps.settings.defaultTimezone), hour: 0, minute: 0 },
    deps.settings.defaultTimezone,
  ).toISOString();
  let marked = 0;
  for (const { key: owner } of await deps.counters.read('grades')) {
    let cursor: string | undefined;
    scan: do {
      const page = await deps.tasks.list({ status: 'open', assignee: owner }, { limit: SWEEP_PAGE, cursor });
      for (const task of page.items) {
        if (task.dueAt >= today) break scan;
        if (task.type !== 'callback' || task.overdueAt) continue;
        const next = { ...task, overdueAt: now, updatedAt: now, version: task.version + 1 };
        if (await deps.tasks.replace(task, next)) marked++;
      }
      cursor = page.nextCursor;
    } while (cursor);
  }
  return marked;
};

const takeStaleLead = async (
  deps: LeadDeps,
  lead: Lead,
  gradePool: string | undefined,
): Promise<'reassigned' | 'pooled' | 'skipped'> => {
  const settings = await deps.salesSettings.get();
  const now = deps.clock.now().toISOString();
  const round = lead.staleCount + 1;
  const pool = lead.staleCount >= 1 ? MARKETING_POOL : gradePool;
  const next = nextVersion(lead, now);
  delete next.ownerId;
  Object.assign(next, { staleCount: round, improvedAt: now }, pool ? { pool } : { queue: MANAGER_QUEUE });
  const seed = `stale:${lead.id}:${round}`;
  const note = pool
    ? `stale ${round === 1 ? 'once' : 'again'}: moved to the ${pool} pool`
    : `stale: taken from ${lead.ownerId} for a manager to reassign`;
  const tasks = await reconcileCallback(deps, settings, next, { base: now, closeReason: 'lead went stale' });
  if (!pool) {
    const task = assignmentTask(
      next,
      stableId(lead.createdAt, `${seed}:task`),
      `Stale since ${lead.improvedAt} with ${lead.ownerId}`,
      now,
    );
    next.assignmentTaskId = task.id;
    tasks.push({ next: task });
  }
  const activity: Activity = {
    ...systemActivity(
      lead,
      stableId(lead.createdAt, seed),
      pool ? 'pooled' : 'reassigned',
      'system:daily-sweep',
      now,
      note,
    ),
  };
  const committed = await deps.leads.commit({ previous: lead, next, tasks, activities: [activity] });
  // A lead that changed since the query (a contact just now, a parallel sweep) waits for tomorrow's run.
  return committed ? (pool ? 'pooled' : 'reassigned') : 'skipped';
};
