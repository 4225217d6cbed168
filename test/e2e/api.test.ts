import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { apiClient } from '../support/client.ts';

let runtime: LocalRuntime;
let api: ReturnType<typeof apiClient>;
let admin: string;

beforeAll(async () => {
  runtime = await startLocalRuntime({
    port: 0,
    dynamoEndpoint: inject('dynamoEndpoint'),
    tableName: `crm-e2e-${Date.now()}`,
    defaultTimezone: 'Asia/Shanghai',
  });
  api = apiClient(runtime.url);
  admin = await api.token('admin');
});
afterAll(() => runtime?.stop());

describe('the walk-through from the README', () => {
  it('token → customer → product → purchase → timeline', async () => {
    const customer = await api.call('POST', '/customers', {
      token: admin,
      body: {
        name: 'Li Lei',
        email: 'li@example.com',
        phone: '+8613800138000',
        region: 'Beijing',
        industry: 'IT',
        interests: ['table-tennis', 'mountaineering'],
        household: [{ relation: 'child', interests: ['swimming'] }],
        consent: { email: true, sms: true },
        attributes: { registeredCapital: 60000000 },
      },
    });
    expect(customer.status).toBe(201);
    expect(customer.body).toMatchObject({ timezone: 'Asia/Shanghai', version: 1 });
    expect(customer.headers.get('location')).toBe(`/customers/${customer.body.id}`);

    const product = await api.call('PUT', '/products/PADDLE-PRO', {
      token: admin,
      body: {
        name: 'Pro paddle',
        category: 'table-tennis',
        lifespanDays: 180,
        careTips: 'Keep it dry.',
        price: 399,
      },
    });
    expect(product.status).toBe(201);
    const replaced = await api.call('PUT', '/products/PADDLE-PRO', {
      token: admin,
      body: { name: 'Pro paddle', category: 'table-tennis', lifespanDays: 180, price: 379 },
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ version: 2, price: 379 });
    expect(replaced.body.careTips).toBeUndefined();

    const purchase = await api.call('POST', '/purchases', {
      token: admin,
      body: {
        customerId: customer.body.id,
        purchasedAt: '2026-11-22T10:00:00+08:00',
        storeId: 'bj-01',
        items: [{ sku: 'PADDLE-PRO', quantity: 1, unitPrice: 399 }],
      },
    });
    expect(purchase.status).toBe(201);
    expect(purchase.body.total).toBe(399);

    const purchases = await api.call('GET', `/customers/${customer.body.id}/purchases`, { token: admin });
    expect(purchases.body.items.map((p: { id: string }) => p.id)).toEqual([purchase.body.id]);
    const timeline = await api.call('GET', `/customers/${customer.body.id}/timeline`, { token: admin });
    expect(timeline.body.items[0]).toMatchObject({
      type: 'purchase',
      id: purchase.body.id,
      at: '2026-11-22T02:00:00.000Z',
    });

    const deleted = await api.call('DELETE', `/customers/${customer.body.id}`, { token: admin });
    expect(deleted.status).toBe(204);
    expect((await api.call('GET', `/customers/${customer.body.id}`, { token: admin })).status).toBe(404);
  });
});

describe('conventions, as an outside client sees them', () => {
  it('401 without or with a forged token', async () => {
    expect((await api.call('GET', '/customers')).status).toBe(401);
    const forged = await api.call('GET', '/customers', { token: `${admin.slice(0, -4)}AAAA` });
    expect(forged.status).toBe(401);
    expect(forged.headers.get('content-type')).toBe('application/problem+json');
  });

  it('403 for a role the route does not allow', async () => {
    const service = await api.token('service');
    expect((await api.call('POST', '/customers', { token: service, body: { name: 'x' } })).status).toBe(403);
    expect(
      (await api.call('PUT', '/products/X', { token: service, body: { name: 'x', category: 'c', price: 1 } }))
        .status,
    ).toBe(403);
  });

  it('415 for a non-JSON body and 413 for one over 256 KiB', async () => {
    const form = await api.call('POST', '/customers', {
      token: admin,
      rawBody: 'name=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.status).toBe(415);
    const big = await api.call('POST', '/customers', {
      token: admin,
      body: { name: 'x'.repeat(300 * 1024) },
    });
    expect(big.status).toBe(413);
  });

  it('400 naming the field for a timestamp without an offset', async () => {
    const response = await api.call('POST', '/purchases', {
      token: admin,
      body: {
        customerId: '01ARZ3NDEKTSV4RRFFQ69G5FAV',
        purchasedAt: '2026-11-22T10:00:00',
        items: [{ sku: 'A', quantity: 1 }],
      },
    });
    expect(response.status).toBe(400);
    expect(response.body.errors.map((e: { path: string }) => e.path)).toEqual(['purchasedAt']);
  });

  it('400 for a bad limit or cursor', async () => {
    expect((await api.call('GET', '/customers?limit=0', { token: admin })).body.errors[0].path).toBe(
      'query.limit',
    );
    expect((await api.call('GET', '/customers?limit=101', { token: admin })).status).toBe(400);
    expect((await api.call('GET', '/customers?cursor=garbage', { token: admin })).body.errors[0].path).toBe(
      'cursor',
    );
  });

  it('replays a repeated POST with the same Idempotency-Key, and 422s a different body', async () => {
    const headers = { 'idempotency-key': 'e2e-1' };
    const first = await api.call('POST', '/customers', { token: admin, headers, body: { name: 'Idem' } });
    const second = await api.call('POST', '/customers', { token: admin, headers, body: { name: 'Idem' } });
    expect(second.body.id).toBe(first.body.id);
    expect(
      (await api.call('POST', '/customers', { token: admin, headers, body: { name: 'Other' } })).status,
    ).toBe(422);
  });

  it('isolates sales users: someone else’s customer is 404, and lists only show their own', async () => {
    const wang = await api.token('sales', 'u-wang');
    const zhang = await api.token('sales', 'u-zhang');
    const mine = await api.call('POST', '/customers', { token: wang, body: { name: 'Wang’s' } });
    expect(mine.body.ownerId).toBe('u-wang');
    expect((await api.call('GET', `/customers/${mine.body.id}`, { token: zhang })).status).toBe(404);
    expect(
      (await api.call('PATCH', `/customers/${mine.body.id}`, { token: zhang, body: { name: 'x' } })).status,
    ).toBe(404);
    const zhangList = await api.call('GET', '/customers', { token: zhang });
    expect(zhangList.body.items.map((c: { id: string }) => c.id)).not.toContain(mine.body.id);
    const purchase = await api.call('POST', '/purchases', {
      token: zhang,
      body: {
        customerId: mine.body.id,
        purchasedAt: '2026-11-22T10:00:00Z',
        items: [{ sku: 'PADDLE-PRO', quantity: 1 }],
      },
    });
    expect(purchase.status).toBe(400);
    expect(purchase.body.errors[0].path).toBe('customerId');
    const marketer = await api.token('marketer');
    expect((await api.call('GET', `/customers/${mine.body.id}`, { token: marketer })).status).toBe(200);
  });

  it('412 for a stale If-Match', async () => {
    const created = await api.call('POST', '/customers', { token: admin, body: { name: 'Etag' } });
    expect(created.headers.get('etag')).toBe('"1"');
    const ok = await api.call('PATCH', `/customers/${created.body.id}`, {
      token: admin,
      headers: { 'if-match': '"1"' },
      body: { tags: ['a'] },
    });
    expect(ok.status).toBe(200);
    const stale = await api.call('PATCH', `/customers/${created.body.id}`, {
      token: admin,
      headers: { 'if-match': '"1"' },
      body: { tags: ['b'] },
    });
    expect(stale.status).toBe(412);
  });

  it('404 as problem+json for an unknown route', async () => {
    const response = await api.call('GET', '/nowhere', { token: admin });
    expect(response.status).toBe(404);
    expect(response.body.title).toBe('Not Found');
  });

  it('serves the OpenAPI document generated from the schemas', async () => {
    const doc = await api.call('GET', '/openapi.json', { token: admin });
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe('3.1.0');
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining(['/customers', '/customers/{id}', '/purchases']),
    );
    expect(doc.body.components.schemas.CustomerInput.properties.phone).toBeDefined();
    expect(doc.body.components.schemas.CustomerInput.additionalProperties).toBe(false);
  });

  it('rejects a bad token request with 400', async () => {
    const response = await api.call('POST', '/_local/token', { body: { role: 'root' } });
    expect(response.status).toBe(400);
    expect(response.body.errors[0].path).toBe('role');
  });
});

describe('the request paths exercised above', () => {
  it('never scanned the table', () => {
    const counts = runtime.system.dynamoUsage.counts;
    expect(counts.get('Query') ?? 0).toBeGreaterThan(0);
    expect(counts.get('Scan') ?? 0).toBe(0);
  });
});
