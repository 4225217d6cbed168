import { beforeAll, describe, expect, it } from 'vitest';
import type { Customer } from '../../shared/domain/customer.ts';
import { ConflictError } from '../../shared/domain/errors.ts';
import type { CrmDependencies } from '../../shared/ports/dependencies.ts';
import { createCustomer, updateCustomer } from '../../shared/use-cases/customers.ts';
import { freshTable } from '../support/table.ts';

let deps: CrmDependencies;
const admin = { sub: 'u-admin', roles: ['admin' as const] };

beforeAll(async () => {
  ({ deps } = await freshTable());
});

const input = (name: string, extra: Partial<Customer> = {}) => ({
  name,
  interests: [],
  household: [],
  consent: { email: false, sms: false },
  tags: [],
  attributes: {},
  ...extra,
});

describe('customers on DynamoDB Local', () => {
  it('lets exactly one of two concurrent creates claim a phone', async () => {
    const results = await Promise.allSettled([
      createCustomer(deps, admin, input('A', { phone: '+8613500135000' })),
      createCustomer(deps, admin, input('B', { phone: '+8613500135000' })),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected');
    expect((rejected as PromiseRejectedResult).reason).toBeInstanceOf(ConflictError);
    const winner = (results.find((r) => r.status === 'fulfilled') as PromiseFulfilledResult<Customer>).value;
    expect(await deps.customers.findIdByPhone('+8613500135000')).toBe(winner.id);
  });

  it('leaves nothing half-written when a phone change clashes', async () => {
    const a = await createCustomer(deps, admin, input('A', { phone: '+8613400134000' }));
    await createCustomer(deps, admin, input('B', { phone: '+8613400134001' }));
    await expect(
      updateCustomer(deps, admin, a.id, { phone: '+8613400134001', name: 'A2' }, undefined),
    ).rejects.toBeInstanceOf(ConflictError);
    const stored = await deps.customers.get(a.id);
    expect(stored).toMatchObject({ name: 'A', phone: '+8613400134000', version: 1 });
    expect(await deps.customers.findIdByPhone('+8613400134000')).toBe(a.id);
  });

  it('applies concurrent updates without losing either (no If-Match retries the race)', async () => {
    const c = await createCustomer(deps, admin, input('Race'));
    await Promise.all([
      updateCustomer(deps, admin, c.id, { region: 'Beijing' }, undefined),
      updateCustomer(deps, admin, c.id, { industry: 'IT' }, undefined),
    ]);
    const stored = await deps.customers.get(c.id);
    expect(stored).toMatchObject({ region: 'Beijing', industry: 'IT', version: 3 });
  });

  it('pages through the owner index with a cursor', async () => {
    for (let i = 0; i < 5; i++)
      await createCustomer(deps, admin, input(`Owned ${i}`, { ownerId: 'u-pager' }));
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await deps.customers.list({ ownerId: 'u-pager' }, { limit: 2, cursor });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((c) => c.name));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual(['Owned 0', 'Owned 1', 'Owned 2', 'Owned 3', 'Owned 4']);
  });

  it('erases a customer and frees their phone', async () => {
    const c = await createCustomer(deps, admin, input('Gone', { phone: '+8613300133000' }));
    await deps.customers.delete(c);
    expect(await deps.customers.get(c.id)).toBeUndefined();
    expect(await deps.customers.findIdByPhone('+8613300133000')).toBeUndefined();
  });
});

describe('idempotency store', () => {
  it('lets a crashed claim be taken over once its lock expires', async () => {
    const start = new Date('2026-01-01T00:00:00Z');
    expect((await deps.idempotency.claim('crash', 'f', start)).state).toBe('claimed');
    expect((await deps.idempotency.claim('crash', 'f', new Date(start.getTime() + 5_000))).state).toBe(
      'in-progress',
    );
    expect((await deps.idempotency.claim('crash', 'f', new Date(start.getTime() + 120_000))).state).toBe(
      'claimed',
    );
  });

  it('replays a completed response and refuses another body', async () => {
    const now = new Date();
    await deps.idempotency.claim('done', 'f1', now);
    await deps.idempotency.complete('done', { statusCode: 201, headers: {}, body: '{"id":"1"}' }, now);
    expect(await deps.idempotency.claim('done', 'f1', now)).toEqual({
      state: 'completed',
      response: { statusCode: 201, headers: {}, body: '{"id":"1"}' },
    });
    expect((await deps.idempotency.claim('done', 'f2', now)).state).toBe('mismatch');
  });
});
