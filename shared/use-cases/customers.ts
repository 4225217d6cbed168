import type { Page } from '../domain/common.ts';
import type { Customer, CustomerInput, CustomerListQuery, CustomerPatch } from '../domain/customer.ts';
import { NotFoundError, ValidationError } from '../domain/errors.ts';
import { toE164 } from '../domain/phone.ts';
import { canAccessCustomer, ownerScope, type Principal } from '../domain/principal.ts';
import type { CrmDependencies } from '../ports/dependencies.ts';
import type { TimelineEntry } from '../ports/repositories.ts';
import { mergePatch } from './merge-patch.ts';
import { updateVersioned } from './versioned-update.ts';

type Deps = Pick<CrmDependencies, 'customers' | 'timeline' | 'clock' | 'ids' | 'settings'>;

const normalisePhone = async (deps: Deps, phone: string): Promise<string> => {
  const e164 = await toE164(phone, deps.settings.defaultPhoneCountry);
  if (!e164) {
    throw ValidationError.field('phone', 'must be a valid phone number in E.164 form, e.g. +8613800138000');
  }
  return e164;
};

const checkOwnerAssignment = (principal: Principal, ownerId: string | null | undefined) => {
  const scope = ownerScope(principal, 'write');
  if (scope !== undefined && ownerId !== undefined && ownerId !== scope) {
    throw ValidationError.field('ownerId', 'sales users can only own customers themselves');
  }
};

export const createCustomer = async (
  deps: Deps,
  principal: Principal,
  input: CustomerInput,
): Promise<Customer> => {
  checkOwnerAssignment(principal, input.ownerId);
  const now = deps.clock.now().toISOString();
  const customer: Customer = {
    ...input,
    ownerId: input.ownerId ?? ownerScope(principal, 'write'),
    phone: input.phone === undefined ? undefined : await normalisePhone(deps, input.phone),
    timezone: input.timezone ?? deps.settings.defaultTimezone,
    id: deps.ids.next(),
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  await deps.customers.create(withoutUndefined(customer));
  return withoutUndefined(customer);
};

export const getCustomer = async (
  deps: Pick<Deps, 'customers'>,
  principal: Principal,
  id: string,
  access: 'read' | 'write' = 'read',
): Promise<Customer> => {
  const customer = await deps.customers.get(id);
  // Someone else's customer is reported as missing, so its existence never leaks.
  if (!customer || !canAccessCustomer(principal, customer, access)) throw new NotFoundError(`Customer ${id}`);
  return customer;
};

export const updateCustomer = async (
  deps: Deps,
  principal: Principal,
  id: string,
  patch: CustomerPatch,
  expectedVersion: number | undefined,
): Promise<Customer> => {
  checkOwnerAssignment(principal, patch.ownerId);
  const phone = patch.phone ? await normalisePhone(deps, patch.phone) : patch.phone;
  return updateVersioned({
    load: () => getCustomer(deps, principal, id, 'write'),
    change: (current) => applyPatch(current, { ...patch, phone }),
    save: (current, next) => deps.customers.replace(current, next),
    expectedVersion,
    now: () => deps.clock.now().toISOString(),
  });
};

/** Absent fields stay, null clears, consent merges per channel. */
export const applyPatch = (current: Customer, patch: CustomerPatch): Customer =>
  mergePatch(current, {
    ...patch,
    ...(patch.consent ? { consent: { ...current.consent, ...patch.consent } } : {}),
  });

export const deleteCustomer = async (deps: Deps, principal: Principal, id: string): Promise<void> => {
  const customer = await getCustomer(deps, principal, id, 'write');
  await deps.customers.delete(customer);
};

export const listCustomers = async (
  deps: Pick<Deps, 'customers'>,
  principal: Principal,
  query: CustomerListQuery,
): Promise<Page<Customer>> => {
  const scope = ownerScope(principal, 'read');
  if (scope !== undefined && query.ownerId !== undefined && query.ownerId !== scope) return { items: [] };
  return deps.customers.list(
    { ownerId: scope ?? query.ownerId, tag: query.tag },
    { limit: query.limit, cursor: query.cursor },
  );
};

export const customerTimeline = async (
  deps: Deps,
  principal: Principal,
  id: string,
  page: { limit: number; cursor?: string | undefined },
): Promise<Page<TimelineEntry>> => {
  await getCustomer(deps, principal, id);
  return deps.timeline.list(id, page);
};

const withoutUndefined = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
