import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { apiClient } from '../support/client.ts';

/**
 * The outside probe of issue 10, repeated over HTTP: every bad input is a 400 problem+json naming
 * the field, never a 5xx, and nothing is written.
 */
let runtime: LocalRuntime;
let api: ReturnType<typeof apiClient>;
let admin: string;
let customerId: string;

beforeAll(async () => {
  runtime = await startLocalRuntime({
    port: 0,
    dynamoEndpoint: inject('dynamoEndpoint'),
    tableName: `crm-e2e-hostile-${Date.now()}`,
    defaultTimezone: 'Asia/Shanghai',
  });
  api = apiClient(runtime.url);
  admin = await api.token('admin');
  for (const name of ['One', 'Two', 'Three']) {
    const created = await api.call('POST', '/customers', { token: admin, body: { name } });
    customerId = created.body.id;
  }
  await api.call('PUT', '/products/PADDLE', {
    token: admin,
    body: { name: 'Paddle', category: 'table-tennis', price: 399.99, lifespanDays: 180 },
  });
});
afterAll(() => runtime?.stop());

const expectBad = (
  response: { status: number; headers: Headers; body: { errors?: { path: string }[] } },
  path: string,
) => {
  expect(response.status).toBe(400);
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  expect(response.body.errors?.map((e) => e.path)).toContain(path);
};

const nested = (depth: number, leaf: string) => `${'{"a":'.repeat(depth)}${leaf}${'}'.repeat(depth)}`;

const rule = (when: unknown) => ({
  name: 'probe',
  on: 'customer.created',
  when,
  do: [{ type: 'tag', add: ['x'] }],
});

const broadcast = (extra: Record<string, unknown>) => ({
  name: 'probe',
  kind: 'broadcast',
  channel: 'sms',
  schedule: { at: '2027-01-01T10:00:00+08:00' },
  message: { body: 'Hi' },
  ...extra,
});

describe('numbers DynamoDB cannot store', () => {
  it.each([
    ['1e200', '{"name":"N","attributes":{"x":1e200}}', 'attributes.x'],
    ['1e-200', '{"name":"N","attributes":{"x":1e-200}}', 'attributes.x'],
    ['2^60', '{"name":"N","attributes":{"x":1152921504606846976}}', 'attributes.x'],
    ['-2^60', '{"name":"N","attributes":{"x":-1152921504606846976}}', 'attributes.x'],
  ])('%s in attributes is a 400', async (_label, rawBody, path) => {
    expectBad(
      await api.call('POST', '/customers', {
        token: admin,
        rawBody,
        headers: { 'content-type': 'application/json' },
      }),
      path,
    );
  });

  it('a unitPrice or price of 1e-200 is a 400', async () => {
    const purchase = await api.call('POST', '/purchases', {
      token: admin,
      body: {
        customerId,
        purchasedAt: '2026-11-22T10:00:00Z',
        items: [{ sku: 'PADDLE', quantity: 1, unitPrice: 1e-200 }],
      },
    });
    expectBad(purchase, 'items.0.unitPrice');
    const product = await api.call('PUT', '/products/TINY', {
      token: admin,
      body: { name: 'Tiny', category: 'c', price: 1e-200 },
    });
    expectBad(product, 'price');
    const opportunity = await api.call('POST', '/opportunities', {
      token: admin,
      body: { customerId, title: 'x', amount: 1e-200 },
    });
    expectBad(opportunity, 'amount');
  });

  it('a numeric matcher beyond the storable range is a 400', async () => {
    expectBad(
      await api.call('POST', '/automation-rules', {
        token: admin,
        body: rule({ attributes: { n: [{ numeric: ['>', 1e200] }] } }),
      }),
      'when.attributes.n.0.numeric.1',
    );
  });
});

describe('patterns nested thousands deep, or too big', () => {
  it('a `when` 5000 levels deep is a 400, not a stack overflow', async () => {
    const response = await api.call('POST', '/automation-rules', {
      token: admin,
      rawBody: `{"name":"deep","on":"customer.created","when":${nested(5000, '["x"]')},"do":[{"type":"tag","add":["x"]}]}`,
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(400);
    expect(response.body.errors[0].path).toMatch(/^when\.a\.a/);
  });

  it('an audience 5000 levels deep is a 400', async () => {
    const response = await api.call('POST', '/campaigns', {
      token: admin,
      rawBody: `{"name":"deep","kind":"broadcast","channel":"sms","schedule":{"at":"2027-01-01T10:00:00Z"},"message":{"body":"Hi"},"audience":${nested(5000, '["x"]')}}`,
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(400);
    expect(response.body.errors[0].path).toMatch(/^audience\.a\.a/);
  });

  it('a pattern deeper than 10 levels or over 4096 characters is a 400', async () => {
    const deep = JSON.parse(nested(12, '["x"]'));
    expectBad(
      await api.call('POST', '/automation-rules', { token: admin, body: rule(deep) }),
      'when.a.a.a.a.a.a.a.a.a.a.a',
    );
    const big = { region: Array.from({ length: 600 }, (_, i) => `region-${i}`) };
    expectBad(await api.call('POST', '/automation-rules', { token: admin, body: rule(big) }), 'when');
    expectBad(
      await api.call('POST', '/campaigns', { token: admin, body: broadcast({ audience: big }) }),
      'audience',
    );
  });
});

describe('list cursors are opaque and tamper-evident', () => {
  it('every tampered cursor is a 400 on `cursor`', async () => {
    const first = await api.call('GET', '/customers?limit=1', { token: admin });
    const cursor: string = first.body.nextCursor;
    expect(cursor).toBeDefined();
    const [payload = '', signature = ''] = cursor.split('.');
    const json = Buffer.from(payload, 'base64url').toString('utf8');
    const forged = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');
    const variants = [
      'garbage',
      payload, // the unsigned form
      `${payload}.${signature.slice(0, -2)}AA`, // a changed signature
      `${forged({ ...JSON.parse(json), pk: 'CUSTOMER#X' })}.${signature}`, // an edited key
      `${forged({ pk: { S: 'x' } })}.${signature}`, // a wire-format key
      `${cursor}.extra`,
      '.',
      'A'.repeat(2000),
    ];
    for (const variant of variants) {
      const response = await api.call('GET', `/customers?limit=1&cursor=${encodeURIComponent(variant)}`, {
        token: admin,
      });
      expectBad(response, 'cursor');
    }
    // A genuine cursor works; the same cursor on another list (another index) does not.
    expect(
      (await api.call('GET', `/customers?limit=1&cursor=${encodeURIComponent(cursor)}`, { token: admin }))
        .status,
    ).toBe(200);
    expectBad(
      await api.call('GET', `/customers?ownerId=u-x&limit=1&cursor=${encodeURIComponent(cursor)}`, {
        token: admin,
      }),
      'cursor',
    );
  });
});

describe('timestamps outside 2000..2099', () => {
  it('a purchase dated 9999 or 1970 is a 400, and nothing is recorded', async () => {
    for (const purchasedAt of ['9999-01-01T00:00:00Z', '1970-01-01T00:00:00Z']) {
      const response = await api.call('POST', '/purchases', {
        token: admin,
        body: { customerId, purchasedAt, items: [{ sku: 'PADDLE', quantity: 1 }] },
      });
      expectBad(response, 'purchasedAt');
    }
    const purchases = await api.call('GET', `/customers/${customerId}/purchases`, { token: admin });
    expect(purchases.body.items).toEqual([]);
  });

  it('a broadcast at 9999 and a close date in 2150 are 400s', async () => {
    expectBad(
      await api.call('POST', '/campaigns', {
        token: admin,
        body: broadcast({ schedule: { at: '9999-01-01T00:00:00Z' } }),
      }),
      'schedule.at',
    );
    expectBad(
      await api.call('POST', '/opportunities', {
        token: admin,
        body: { customerId, title: 'x', amount: 1, expectedCloseDate: '2150-01-01' },
      }),
      'expectedCloseDate',
    );
  });
});

describe('rules, CIDRs and crons that cannot work', () => {
  it('a rule on an event that does not exist is a 400', async () => {
    expectBad(
      await api.call('POST', '/automation-rules', { token: admin, body: { ...rule({}), on: 'foo.bar' } }),
      'on',
    );
  });

  it('a PATCH that would make an invalid rule is a 400, and the rule stays as it was', async () => {
    const created = await api.call('POST', '/automation-rules', {
      token: admin,
      body: { name: 'orders', on: 'opportunity.updated', do: [{ type: 'createOrder' }] },
    });
    expect(created.status).toBe(201);
    const patched = await api.call('PATCH', `/automation-rules/${created.body.id}`, {
      token: admin,
      body: { on: 'customer.created' },
    });
    expectBad(patched, 'do.0.type');
    const stored = await api.call('GET', `/automation-rules/${created.body.id}`, { token: admin });
    expect(stored.body).toMatchObject({ on: 'opportunity.updated', version: 1 });
  });

  it.each(['10.0.0.0/33', '999.0.0.0/8', '10.0.0.0', '::1/129', 'not-an-ip/8'])(
    'the CIDR %s is a 400',
    async (cidr) => {
      expectBad(
        await api.call('POST', '/automation-rules', { token: admin, body: rule({ ip: [{ cidr }] }) }),
        'when.ip.0',
      );
    },
  );

  it('malformed matchers are 400s', async () => {
    for (const matcher of [
      { exists: 'yes' },
      { prefix: 5 },
      { 'anything-but': { regex: 'x' } },
      { numeric: ['>'] },
    ]) {
      expectBad(
        await api.call('POST', '/automation-rules', { token: admin, body: rule({ region: [matcher] }) }),
        'when.region.0',
      );
    }
  });

  it('a cron expression over 100 characters is a 400', async () => {
    const cron = `0 10 ? * ${'1,'.repeat(200)}1 *`;
    expectBad(
      await api.call('POST', '/campaigns', {
        token: admin,
        body: broadcast({ schedule: { cron, timezone: 'Asia/Shanghai' } }),
      }),
      'schedule.cron',
    );
  });

  it('cron expressions with L, W and # are accepted', async () => {
    for (const cron of ['0 10 L * ? *', '0 10 15W * ? *', '0 10 ? * 2#1 *']) {
      const response = await api.call('POST', '/campaigns', {
        token: admin,
        body: broadcast({ schedule: { cron, timezone: 'Asia/Shanghai' } }),
      });
      expect(response.status).toBe(201);
    }
  });
});

describe('text that is not text', () => {
  it('NUL and lone surrogates in a body are 400s, in values and in keys', async () => {
    const before = (await api.call('GET', '/customers', { token: admin })).body.items.length;
    expectBad(await api.call('POST', '/customers', { token: admin, body: { name: 'a\u0000b' } }), 'name');
    expectBad(await api.call('POST', '/customers', { token: admin, body: { name: 'a\ud800b' } }), 'name');
    expectBad(
      await api.call('POST', '/customers', { token: admin, body: { name: 'x', tags: ['\udc00'] } }),
      'tags.0',
    );
    expect(
      (
        await api.call('POST', '/customers', {
          token: admin,
          body: { name: 'x', attributes: { 'a\u0000': 1 } },
        })
      ).status,
    ).toBe(400);
    expect((await api.call('GET', '/customers', { token: admin })).body.items.length).toBe(before);
  });

  it('query filters longer than a DynamoDB key may be are 400s', async () => {
    const long = 'x'.repeat(3000);
    expectBad(await api.call('GET', `/customers?ownerId=${long}`, { token: admin }), 'query.ownerId');
    expectBad(await api.call('GET', `/customers?tag=${long}`, { token: admin }), 'query.tag');
    expectBad(await api.call('GET', `/tasks?assigneeId=${long}`, { token: admin }), 'query.assigneeId');
    expectBad(await api.call('GET', `/satisfaction?sku=${long}`, { token: admin }), 'query.sku');
  });

  it('NUL in a query parameter is a 400', async () => {
    expectBad(await api.call('GET', '/customers?tag=%00', { token: admin }), 'query.tag');
  });

  it('a malformed % escape in a path is a 400 naming the parameter', async () => {
    expectBad(await api.call('GET', '/customers/%E0%A4%A', { token: admin }), 'params.id');
    expectBad(await api.call('GET', '/products/%', { token: admin }), 'params.sku');
  });
});
