import { beforeAll, describe, expect, it } from 'vitest';
import { customerRoutes } from '../../functions/http/customers.ts';
import { productRoutes } from '../../functions/http/products.ts';
import { purchaseRoutes } from '../../functions/http/purchases.ts';
import { createHttpHandler } from '../../shared/http/handler.ts';
import { customersSpecs } from '../../shared/http/routes/customers.ts';
import { productsSpecs } from '../../shared/http/routes/products.ts';
import { purchasesSpecs } from '../../shared/http/routes/purchases.ts';
import type { CrmDependencies } from '../../shared/ports/dependencies.ts';
import { invoke } from '../support/http-event.ts';
import { freshTable } from '../support/table.ts';

let customers: ReturnType<typeof createHttpHandler>;
let products: ReturnType<typeof createHttpHandler>;
let purchases: ReturnType<typeof createHttpHandler>;
let deps: CrmDependencies;

beforeAll(async () => {
  ({ deps } = await freshTable());
  customers = createHttpHandler(customersSpecs, customerRoutes, () => deps);
  products = createHttpHandler(productsSpecs, productRoutes, () => deps);
  purchases = createHttpHandler(purchasesSpecs, purchaseRoutes, () => deps);
});

const sales = (sub: string) => ({ sub, roles: ['sales' as const] });

describe('the HTTP stack', () => {
  it('answers 401 without claims and 403 for a role the route does not allow', async () => {
    const anonymous = await invoke(customers, { routeKey: 'POST /customers', body: { name: 'x' }, as: null });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['content-type']).toBe('application/problem+json');
    const marketer = await invoke(customers, {
      routeKey: 'POST /customers',
      body: { name: 'x' },
      as: { sub: 'm', roles: ['marketer'] },
    });
    expect(marketer.status).toBe(403);
  });

  it('answers 415 for a body that is not JSON and 413 past 256 KiB', async () => {
    const text = await invoke(customers, {
      routeKey: 'POST /customers',
      rawBody: 'name=x',
      headers: { 'Content-Type': 'text/plain' },
    });
    expect(text.status).toBe(415);
    const big = await invoke(customers, {
      routeKey: 'POST /customers',
      body: { name: 'x', attributes: { notes: 'a'.repeat(900), padding: 'b'.repeat(270 * 1024) } },
    });
    expect(big.status).toBe(413);
  });

  it('names every bad field and rejects unknown ones', async () => {
    const response = await invoke(customers, {
      routeKey: 'POST /customers',
      body: {
        name: '',
        phone: '12345',
        timezone: 'GMT+8',
        nickname: 'x',
        household: [{ relation: 'child', age: 3 }],
      },
    });
    expect(response.status).toBe(400);
    const paths = response.body.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['name', 'timezone', 'nickname', 'household.0.age']));
  });

  it('answers 400 for malformed JSON', async () => {
    const response = await invoke(customers, { routeKey: 'POST /customers', rawBody: '{"name":' });
    expect(response.status).toBe(400);
    expect(response.body.detail).toMatch(/JSON/);
  });

  it('rejects a phone it cannot read unambiguously and normalises one it can', async () => {
    const bad = await invoke(customers, {
      routeKey: 'POST /customers',
      body: { name: 'A', phone: '+86 123' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('phone');
    const good = await invoke(customers, {
      routeKey: 'POST /customers',
      body: { name: 'A', phone: '139 0013 9000' },
    });
    expect(good.status).toBe(201);
    expect(good.body.phone).toBe('+8613900139000');
  });

  it('keeps phones unique (409) and frees a phone when it changes', async () => {
    const first = await invoke(customers, {
      routeKey: 'POST /customers',
      body: { name: 'A', phone: '+8613700137000' },
    });
    const clash = await invoke(customers, {
      routeKey: 'POST /customers',
      body: { name: 'B', phone: '+8613700137000' },
    });
    expect(clash.status).toBe(409);
    expect(clash.body.errors[0].path).toBe('phone');
    const moved = await invoke(customers, {
      routeKey: 'PATCH /customers/{id}',
      pathParameters: { id: first.body.id },
      body: { phone: '+8613700137001' },
    });
    expect(moved.status).toBe(200);
    expect(await deps.customers.findIdByPhone('+8613700137000')).toBeUndefined();
    const reuse = await invoke(customers, {
      routeKey: 'POST /customers',
      body: { name: 'B', phone: '+8613700137000' },
    });
    expect(reuse.status).toBe(201);
  });

  it('honours If-Match with 412 on a stale version', async () => {
    const created = await invoke(customers, { routeKey: 'POST /customers', body: { name: 'Versioned' } });
    const id = created.body.id;
    const first = await invoke(customers, {
      routeKey: 'PATCH /customers/{id}',
      pathParameters: { id },
      headers: { 'If-Match': '"1"' },
      body: { region: 'Beijing' },
    });
    expect(first.status).toBe(200);
    expect(first.body.version).toBe(2);
    expect(first.headers.etag).toBe('"2"');
    const stale = await invoke(customers, {
      routeKey: 'PATCH /customers/{id}',
      pathParameters: { id },
      headers: { 'If-Match': '"1"' },
      body: { region: 'Shanghai' },
    });
    expect(stale.status).toBe(412);
    const read = await invoke(customers, { routeKey: 'GET /customers/{id}', pathParameters: { id } });
    expect(read.body.region).toBe('Beijing');
  });

  it('clears a field with null and merges consent', async () => {
    const created = await invoke(customers, {
      routeKey: 'POST /customers',
      body: { name: 'C', region: 'Beijing', consent: { email: true } },
    });
    const patched = await invoke(customers, {
      routeKey: 'PATCH /customers/{id}',
      pathParameters: { id: created.body.id },
      body: { region: null, consent: { sms: true } },
    });
    expect(patched.body.region).toBeUndefined();
    expect(patched.body.consent).toEqual({ email: true, sms: true });
  });

  it('hides other owners’ customers from sales users with 404', async () => {
    const mine = await invoke(customers, {
      routeKey: 'POST /customers',
      body: { name: 'Mine' },
      as: sales('u-s1'),
    });
    expect(mine.body.ownerId).toBe('u-s1');
    for (const routeKey of [
      'GET /customers/{id}',
      'DELETE /customers/{id}',
      'GET /customers/{id}/timeline',
    ]) {
      const response = await invoke(customers, {
        routeKey,
        pathParameters: { id: mine.body.id },
        as: sales('u-s2'),
      });
      expect(response.status, routeKey).toBe(404);
    }
    const patch = await invoke(customers, {
      routeKey: 'PATCH /customers/{id}',
      pathParameters: { id: mine.body.id },
      body: { name: 'Stolen' },
      as: sales('u-s2'),
    });
    expect(patch.status).toBe(404);
    const giveAway = await invoke(customers, {
      routeKey: 'POST /customers',
      body: { name: 'Not mine', ownerId: 'u-s1' },
      as: sales('u-s2'),
    });
    expect(giveAway.status).toBe(400);
    const list = await invoke(customers, { routeKey: 'GET /customers', as: sales('u-s2') });
    expect(list.body.items.map((c: { id: string }) => c.id)).not.toContain(mine.body.id);
  });

  it('records a purchase with a total and names an unknown sku by its path', async () => {
    await invoke(products, {
      routeKey: 'PUT /products/{sku}',
      pathParameters: { sku: 'PADDLE-PRO' },
      body: { name: 'Pro paddle', category: 'table-tennis', lifespanDays: 180, price: 399 },
    });
    const customer = await invoke(customers, { routeKey: 'POST /customers', body: { name: 'Buyer' } });
    const unknown = await invoke(purchases, {
      routeKey: 'POST /purchases',
      body: {
        customerId: customer.body.id,
        purchasedAt: '2026-11-22T10:00:00+08:00',
        items: [
          { sku: 'PADDLE-PRO', quantity: 1 },
          { sku: 'NOPE', quantity: 1 },
        ],
      },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([{ path: 'items.1.sku', message: 'no product with sku NOPE' }]);
    const recorded = await invoke(purchases, {
      routeKey: 'POST /purchases',
      body: {
        customerId: customer.body.id,
        purchasedAt: '2026-11-22T10:00:00+08:00',
        storeId: 'bj-01',
        items: [{ sku: 'PADDLE-PRO', quantity: 2 }],
      },
    });
    expect(recorded.status).toBe(201);
    expect(recorded.body).toMatchObject({ total: 798, purchasedAt: '2026-11-22T02:00:00.000Z' });
    expect(recorded.body.items[0]).toMatchObject({
      unitPrice: 399,
      lifespanDays: 180,
      category: 'table-tennis',
    });
  });

  it('treats an unknown customer in a purchase as a bad field', async () => {
    const response = await invoke(purchases, {
      routeKey: 'POST /purchases',
      body: {
        customerId: '01ARZ3NDEKTSV4RRFFQ69G5FAV',
        purchasedAt: '2026-11-22T10:00:00Z',
        items: [{ sku: 'X', quantity: 1 }],
      },
    });
    expect(response.status).toBe(400);
    expect(response.body.errors[0].path).toBe('customerId');
  });
});

describe('Idempotency-Key', () => {
  it('replays the first response, 422s a different body, and creates one customer', async () => {
    const headers = { 'Idempotency-Key': 'key-1' };
    const first = await invoke(customers, {
      routeKey: 'POST /customers',
      headers,
      body: { name: 'Once', tags: ['vip'] },
    });
    const again = await invoke(customers, {
      routeKey: 'POST /customers',
      headers,
      body: { tags: ['vip'], name: 'Once' },
    });
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    expect(again.headers['idempotent-replayed']).toBe('true');
    const other = await invoke(customers, { routeKey: 'POST /customers', headers, body: { name: 'Twice' } });
    expect(other.status).toBe(422);
    const list = await invoke(customers, { routeKey: 'GET /customers', query: { tag: 'vip' } });
    expect(list.body.items.filter((c: { name: string }) => c.name === 'Once')).toHaveLength(1);
  });

  it('answers 409 while the first request is still running', async () => {
    const claim = await deps.idempotency.claim(
      'u-admin:admin:POST /customers:/customers:key-2',
      'x',
      new Date(),
    );
    expect(claim.state).toBe('claimed');
    // Same scope as the request below, as though another request were mid-flight.
    const response = await invoke(customers, {
      routeKey: 'POST /customers',
      headers: { 'Idempotency-Key': 'key-2' },
      body: { name: 'Racing' },
    });
    expect(response.status).toBe(409);
  });

  it('releases the key when the request fails, so a corrected retry works', async () => {
    const headers = { 'Idempotency-Key': 'key-3' };
    const failed = await invoke(customers, {
      routeKey: 'POST /customers',
      headers,
      body: { name: 'P', phone: '+86 1' },
    });
    expect(failed.status).toBe(400);
    const retried = await invoke(customers, {
      routeKey: 'POST /customers',
      headers,
      body: { name: 'P', phone: '+8613600136000' },
    });
    expect(retried.status).toBe(201);
  });

  it('scopes keys per caller', async () => {
    const headers = { 'Idempotency-Key': 'shared-key' };
    const a = await invoke(customers, {
      routeKey: 'POST /customers',
      headers,
      body: { name: 'A' },
      as: sales('u-a'),
    });
    const b = await invoke(customers, {
      routeKey: 'POST /customers',
      headers,
      body: { name: 'A' },
      as: sales('u-b'),
    });
    expect(a.body.id).not.toBe(b.body.id);
  });
});
