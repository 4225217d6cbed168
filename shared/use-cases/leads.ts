import type { Page } from '../domain/common.ts';
import { ConflictError, NotFoundError, PreconditionFailedError, ValidationError } from '../domain/errors.ts';
import {
  type Activity,
  type ActivityInput,
  type Lead,
  type LeadInput,
  type LeadListQuery,
  type LeadPatch,
  MANAGER_QUEUE,
  type SalesSettings,
} from '../domain/lead.ts';
import { type Principal, seesAllSales } from '../domain/principal.ts';
import type { CrmDependencies } from '../ports/dependencies.ts';
import type { LeadChange } from '../ports/lead-repository.ts';
import { customerFollows } from './customer-follows-lead.ts';
import { createCustomer, getCustomer } from './customers.ts';
import { assignmentTask, gradeOf, reconcileCallback, regrade } from './lead-callbacks.ts';
import { mergePatch } from './merge-patch.ts';

export type LeadDeps = Pick<
  CrmDependencies,
  'leads' | 'salesSettings' | 'customers' | 'timeline' | 'tasks' | 'clock' | 'ids' | 'settings'
>;

const MAX_ATTEMPTS = 3;
/** How far ahead of the server's clock a contact's `at` may be (a phone's clock runs fast). */
const CLOCK_SKEW_MS = 5 * 60_000;

/** A sales user (and nothing more) is confined to their own leads and the pools. */
export const salesOnly = (principal: Principal) =>
  !seesAllSales(principal) && !principal.roles.includes('marketer');

const canSee = (principal: Principal, lead: Lead, access: 'read' | 'write') => {
  if (seesAllSales(principal)) return true;
  if (lead.ownerId === principal.sub && principal.roles.includes('sales')) return true;
  if (access === 'write') return false;
  return (
    principal.roles.includes('marketer') || (lead.pool !== undefined && principal.roles.includes('sales'))
  );
};

export const getLead = async (
  deps: Pick<LeadDeps, 'leads'>,
  principal: Principal,
  id: string,
  access: 'read' | 'write' = 'read',
): Promise<Lead> => {
  const lead = await deps.leads.get(id);
  // Someone else's lead is reported as missing, so its existence never leaks.
  if (!lead || !canSee(principal, lead, access)) throw new NotFoundError(`Lead ${id}`);
  return lead;
};

const requireGrade = (settings: SalesSettings, code: string, path: string) => {
  const grade = gradeOf(settings, code);
  if (!grade)
    throw ValidationError.field(
      path,
      `must be one of the grades: ${settings.grades.map((g) => g.code).join(', ')}`,
    );
  return grade;
};

export const requireOpen = (lead: Lead) => {
  if (lead.status !== 'open') throw new ConflictError(`Lead ${lead.id} is ${lead.status}.`);
};

/**
 * Read-modify-commit with optimistic concurrency, like updateVersioned but for a lead's whole
 * transaction (tasks, activities, order). A lost race is retried unless the caller sent If-Match.
 */
export const changeLead = async (
  deps: Pick<LeadDeps, 'leads'>,
  load: () => Promise<Lead>,
  build: (current: Lead) => Promise<LeadChange>,
  expectedVersion?: number,
): Promise<LeadChange> => {
  for (let attempt = 1; ; attempt++) {
    const current = await load();
    if (expectedVersion !== undefined && current.version !== expectedVersion)
      throw new PreconditionFailedError(current.version);
    const change = await build(current);
    if (await deps.leads.commit(change)) return change;
    if (expectedVersion !== undefined || attempt >= MAX_ATTEMPTS)
      throw new PreconditionFailedError((await load()).version);
  }
};

/** The next version of a lead, stamped; the change functions below fill in the rest. */
export const nextVersion = (lead: Lead, now: string): Lead => ({
  ...lead,
  updatedAt: now,
  version: lead.version + 1,
});

const withPath = (prefix: string) => (error: unknown) => {
  if (error instanceof ValidationError)
    throw new ValidationError(
      (error.errors ?? []).map((e) => ({ ...e, path: `${prefix}.${e.path}` })),
      error.message,
    );
  throw error;
};

export const createLead = async (deps: LeadDeps, principal: Principal, input: LeadInput): Promise<Lead> => {
  const settings = await deps.salesSettings.get();
  const grade = requireGrade(settings, input.grade, 'grade');
  if (salesOnly(principal) && input.ownerId !== undefined && input.ownerId !== principal.sub)
    throw ValidationError.field('ownerId', 'sales users can only record leads for themselves');
  const ownerId = input.ownerId ?? (salesOnly(principal) ? principal.sub : undefined);

  const customer = input.customer
    ? await createCustomer(
        deps,
        // Managers and marketers record walk-ins too; the lead route may create the customer it is about.
        salesOnly(principal) ? principal : { sub: principal.sub, roles: ['admin'] },
        { ...input.customer, ownerId: input.customer.ownerId ?? ownerId },
      ).catch(withPath('customer'))
    : await getCustomer(
        deps,
        principal,
        input.customerId as string,
        salesOnly(principal) ? 'write' : 'read',
      ).catch((error: unknown) => {
        if (error instanceof NotFoundError) throw ValidationError.field('customerId', 'no such customer');
        throw error;
      });

  const now = deps.clock.now().toISOString();
  const pool = ownerId === undefined ? grade.pool : undefined;
  const lead: Lead = {
    id: deps.ids.next(),
    customerId: customer.id,
    interest: input.interest,
    grade: grade.code,
    gradeSince: now,
    status: 'open',
    ...(ownerId ? { ownerId } : {}),
    ...(pool ? { pool } : {}),
    ...(!ownerId && !pool ? { queue: MANAGER_QUEUE } : {}),
    source: input.source,
    companions: input.companions,
    ...(input.note ? { note: input.note } : {}),
    ...(customer.region ? { region: customer.region } : {}),
    ...(ownerId ? { recordedFor: ownerId } : {}),
    initialGrade: grade.code,
    improvedAt: now,
    staleCount: 0,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  const tasks = await reconcileCallback(deps, settings, lead, { base: now, closeReason: 'not needed' });
  if (lead.queue) {
    const task = assignmentTask(lead, deps.ids.next(), 'A new lead without an owner or a pool', now);
    lead.assignmentTaskId = task.id;
    tasks.push({ next: task });
  }
  if (!(await deps.leads.commit({ next: lead, tasks })))
    throw new ConflictError(`Lead ${lead.id} exists already.`);
  // A manager may record a lead for someone else on a customer another salesperson holds.
  await customerFollows(deps, lead);
  return lead;
};

export const listLeads = async (
  deps: LeadDeps,
  principal: Principal,
  query: LeadListQuery,
): Promise<Page<Lead>> => {
  if (query.grade !== undefined) requireGrade(await deps.salesSettings.get(), query.grade, 'query.grade');
  const page = { limit: query.limit, cursor: query.cursor };
  const filter = { grade: query.grade, status: query.status };
  if (salesOnly(principal)) {
    if (query.pool) return deps.leads.list({ ...filter, holder: `pool:${query.pool}` }, page);
    if (query.ownerId !== undefined && query.ownerId !== principal.sub) return { items: [] };
    return deps.leads.list({ ...filter, holder: `owner:${principal.sub}` }, page);
  }
  const holder = query.ownerId ? `owner:${query.ownerId}` : query.pool ? `pool:${query.pool}` : undefined;
  return deps.leads.list({ ...filter, holder }, page);
};

export const updateLead = async (
  deps: LeadDeps,
  principal: Principal,
  id: string,
  patch: LeadPatch,
  expectedVersion: number | undefined,
): Promise<Lead> => {
  const settings = await deps.salesSettings.get();
  if (patch.grade !== undefined) requireGrade(settings, patch.grade, 'grade');
  const change = await changeLead(
    deps,
    () => getLead(deps, principal, id, 'write'),
    async (current) => {
      // An erased lead stays erased: nothing personal may be written back into it.
      if (current.erasedAt) throw new ConflictError(`Lead ${id} belongs to an erased customer.`);
      // A closed lead is a record: regrading it would rewrite the report's grade moves.
      requireOpen(current);
      const now = deps.clock.now().toISOString();
      const { grade, ...rest } = patch;
      const next = regrade(settings, mergePatch(nextVersion(current, now), rest), grade, now);
      const tasks =
        next.grade === current.grade
          ? []
          : await reconcileCallback(deps, settings, next, {
              base: next.lastContactAt ?? next.createdAt,
              closeReason: `regraded to ${next.grade}`,
            });
      return { previous: current, next, tasks };
    },
    expectedVersion,
  );
  return change.next;
};

/** A contact (or a note): regrades when asked, completes the open callback and plans the next. */
export const recordActivity = async (
  deps: LeadDeps,
  principal: Principal,
  leadId: string,
  input: ActivityInput,
  expectedVersion?: number,
): Promise<Activity> => {
  const settings = await deps.salesSettings.get();
  if (input.grade !== undefined) requireGrade(settings, input.grade, 'grade');
  const at = new Date(input.at).toISOString();
  if (Date.parse(at) > deps.clock.now().getTime() + CLOCK_SKEW_MS)
    throw ValidationError.field('at', 'must not be in the future (a contact is recorded once it happened)');
  const id = deps.ids.next();
  const change = await changeLead(
    deps,
    () => getLead(deps, principal, leadId, 'write'),
    async (current) => {
      requireOpen(current);
      const now = deps.clock.now().toISOString();
      const contact = input.type !== 'note';
      let next = regrade(settings, nextVersion(current, now), input.grade, now);
      if (contact && (!next.lastContactAt || at > next.lastContactAt)) next = { ...next, lastContactAt: at };
      const activity: Activity = {
        id,
        leadId,
        customerId: current.customerId,
        type: input.type,
        at,
        outcome: input.outcome,
        ...(input.note ? { note: input.note } : {}),
        ...(next.grade !== current.grade ? { grade: next.grade, previousGrade: current.grade } : {}),
        ...(current.ownerId ? { ownerId: current.ownerId } : {}),
        actorId: principal.sub,
        createdAt: now,
      };
      const tasks = await reconcileCallback(deps, settings, next, {
        base: next.lastContactAt ?? next.createdAt,
        completeWith: contact ? `${input.type}: ${input.outcome}` : undefined,
        closeReason: `regraded to ${next.grade}`,
      });
      return { previous: current, next, activities: [activity], tasks };
    },
    expectedVersion,
  );
  return (change.activities as Activity[])[0] as Activity;
};

export const listActivities = async (
  deps: LeadDeps,
  principal: Principal,
  leadId: string,
  page: { limit: number; cursor?: string | undefined },
): Promise<Page<Activity>> => {
  await getLead(deps, principal, leadId);
  return deps.leads.activities(leadId, page);
};
