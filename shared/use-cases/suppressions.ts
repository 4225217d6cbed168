import * as z from 'zod';
import { NotFoundError, ValidationError } from '../domain/errors.ts';
import { toE164 } from '../domain/phone.ts';
import type { Principal } from '../domain/principal.ts';
import type { Channel, Suppression } from '../domain/suppression.ts';
import type { CrmDependencies } from '../ports/dependencies.ts';
import type { PageRequest } from '../ports/repositories.ts';

type Deps = Pick<CrmDependencies, 'optOuts' | 'customers' | 'timeline' | 'clock' | 'settings'>;

/** The address as the list keys it: E.164 for SMS (read like the customer field), lower case for email. */
export const normaliseAddress = async (deps: Deps, channel: Channel, address: string, field = 'address') => {
  if (channel === 'sms') {
    const e164 = await toE164(address, deps.settings.defaultPhoneCountry);
    if (!e164)
      throw ValidationError.field(field, 'must be a phone number in E.164 form, e.g. +8613800138000');
    return e164;
  }
  const email = address.trim().toLowerCase();
  if (!z.email().safeParse(email).success) throw ValidationError.field(field, 'must be an email address');
  return email;
};

/** An SMS suppression shows on the timeline of the customer who has that phone. */
const noteOnTimeline = async (deps: Deps, type: 'opted-out' | 'opted-in', entry: Suppression) => {
  if (entry.channel !== 'sms') return;
  const customerId = await deps.customers.findIdByPhone(entry.address);
  if (!customerId) return;
  const at = deps.clock.now().toISOString();
  await deps.timeline.note(customerId, type, at, `${type}:${entry.channel}:${entry.address}:${at}`, {
    channel: entry.channel,
    address: entry.address,
    reason: entry.reason,
    source: entry.source,
  });
};

export const listSuppressions = async (
  deps: Deps,
  query: { channel?: Channel | undefined; address?: string | undefined } & PageRequest,
) => {
  if (query.address && query.channel) {
    const address = await normaliseAddress(deps, query.channel, query.address);
    const entry = await deps.optOuts.get(query.channel, address);
    return { items: entry ? [entry] : [] };
  }
  return deps.optOuts.list({ channel: query.channel }, query);
};

/** A manual entry; an address already on the list keeps its first entry (created: false). */
export const addSuppression = async (
  deps: Deps,
  principal: Principal,
  input: { channel: Channel; address: string; reason: 'manual' },
): Promise<{ entry: Suppression; created: boolean }> => {
  const address = await normaliseAddress(deps, input.channel, input.address);
  const entry: Suppression = {
    channel: input.channel,
    address,
    reason: 'manual',
    source: `admin:${principal.sub}`,
    createdAt: deps.clock.now().toISOString(),
  };
  if (!(await deps.optOuts.add(entry))) {
    const existing = await deps.optOuts.get(input.channel, address);
    if (existing) return { entry: existing, created: false };
  }
  await noteOnTimeline(deps, 'opted-out', entry);
  return { entry, created: true };
};

export const removeSuppression = async (deps: Deps, channel: Channel, address: string): Promise<void> => {
  const normalised = await normaliseAddress(deps, channel, address);
  const removed = await deps.optOuts.remove(channel, normalised);
  if (!removed) throw new NotFoundError('This suppression');
  await noteOnTimeline(deps, 'opted-in', removed);
};
