import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { apiClient } from '../support/client.ts';

let runtime: LocalRuntime;
let api: ReturnType<typeof apiClient>;
let admin: string;
const rules: Record<string, string> = {};

const post = async (path: string, body: unknown, token = admin) => {
  const response = await api.call('POST', path, { token, body });
  if (response.status >= 300) throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
};
const patch = (path: string, body: unknown, token = admin) => api.call('PATCH', path, { token, body });
const get = async (path: string, token = admin) => (await api.call('GET', path, { token })).body;
const settle = () => api.call('POST', '/_local/settle');
const outbox = async (to: string) =>
  (await api.call('GET', `/_local/outbox?to=${encodeURIComponent(to)}`)).body.items;

beforeAll(async () => {
  runtime = await startLocalRuntime({
    port: 0,
    dynamoEndpoint: inject('dynamoEndpoint'),
    tableName: `crm-rules-${Date.now()}`,
  });
  api = apiClient(runtime.url);
  admin = await api.token('admin');
  const rule = async (key: string, body: Record<string, unknown>) => {
    rules[key] = (await post('/automation-rules', { name: key, ...body })).id;
  };
  await rule('1 Beijing IT to Wang', {
    on: 'customer.created',
    when: { region: ['Beijing'], industry: ['IT'] },
    do: [{ type: 'assign', ownerId: 'u-wang' }],
  });
  await rule('2 type A customers', {
    on: 'customer.created',
    when: {
      attributes: {
        registeredCapital: [{ numeric: ['>', 50_000_000] }],
        headcount: [{ numeric: ['>', 100] }],
        channel: ['social-media'],
      },
    },
    do: [{ type: 'set', fields: { tier: 'A' } }],
  });
  await rule('3 Zhejiang leads to the public pool', {
    on: 'customer.created',
    when: { tags: ['lead'], region: ['Zhejiang'], ownerId: [{ exists: false }] },
    do: [{ type: 'assign', ownerId: 'pool:zhejiang' }],
  });
  await rule('4 tell the manager about A customers', {
    on: 'customer.updated',
    when: { tier: ['A'] },
    changed: ['tier'],
    do: [
      {
        type: 'notify',
        channel: 'email',
        to: 'manager@example.com',
        subject: 'New A customer',
        message: 'A customer: {{entity.name}}',
      },
    ],
  });
  await rule('5a call back', {
    on: 'customer.created',
    when: { tags: ['call-me'] },
    do: [{ type: 'createTask', title: 'Call {{entity.name}}', queue: 'service' }],
  });
  await rule('5b tag from call feedback', {
    on: 'task.updated',
    when: { status: ['done'], outcome: [{ prefix: 'interested' }] },
    changed: ['status'],
    do: [{ type: 'tag', add: ['warm'] }],
  });
  await rule('6 big opportunity', {
    on: 'opportunity.created',
    when: { amount: [{ numeric: ['>', 1_000_000] }] },
    do: [
      {
        type: 'notify',
        channel: 'sms',
        to: '+8613900000001',
        message: 'Big deal: {{entity.title}} ({{entity.amount}})',
      },
    ],
  });
  await rule('7 won opportunities become orders', {
    on: 'opportunity.updated',
    when: { stage: ['won'] },
    changed: ['stage'],
    do: [{ type: 'createOrder' }],
  });
  await rule('8a won tag', {
    on: 'opportunity.updated',
    when: { stage: ['won'] },
    changed: ['stage'],
    do: [{ type: 'tag', add: ['won-deal'], remove: ['lost-deal'] }],
  });
  await rule('8b lost tag', {
    on: 'opportunity.updated',
    when: { stage: ['lost'] },
    changed: ['stage'],
    do: [{ type: 'tag', add: ['lost-deal'] }],
  });
  await rule('9 ready to ship', {
    on: 'order.updated',
    when: { status: ['ready-to-ship'] },
    changed: ['status'],
    do: [
      {
        type: 'notify',
        channel: 'email',
        to: 'warehouse@example.com',
        message: 'Order {{entity.id}} for {{customer.name}} is ready',
      },
    ],
  });
  await rule('10 gold by total sales', {
    on: 'customer.updated',
    when: { totalSales: [{ numeric: ['>=', 10_000] }] },
    changed: ['totalSales'],
    do: [{ type: 'set', fields: { tier: 'gold' } }],
  });
}, 60_000);
afterAll(() => runtime?.stop());

describe('the ten automation scenarios, end to end', () => {
  it('1: assigns Beijing IT customers to Wang, and no others', async () => {
    const match = await post('/customers', { name: 'BJ IT', region: 'Beijing', industry: 'IT' });
    const otherIndustry = await post('/customers', {
      name: 'BJ Finance',
      region: 'Beijing',
      industry: 'Finance',
    });
    const otherRegion = await post('/customers', { name: 'SH IT', region: 'Shanghai', industry: 'IT' });
    await settle();
    expect((await get(`/customers/${match.id}`)).ownerId).toBe('u-wang');
    expect((await get(`/customers/${otherIndustry.id}`)).ownerId).toBeUndefined();
    expect((await get(`/customers/${otherRegion.id}`)).ownerId).toBeUndefined();
    const runs = await get(`/automation-rules/${rules['1 Beijing IT to Wang']}/runs`);
    expect(runs.items).toEqual([
      expect.objectContaining({
        entityId: match.id,
        eventType: 'customer.created',
        result: 'applied',
        actions: [expect.objectContaining({ type: 'assign', result: 'done' })],
      }),
    ]);
  });

  it('2 and 4: types an A customer on nested numeric attributes, then tells the manager once', async () => {
    const a = await post('/customers', {
      name: 'Big Social Co',
      attributes: { registeredCapital: 60_000_000, headcount: 120, channel: 'social-media' },
    });
    const small = await post('/customers', {
      name: 'Small Social Co',
      attributes: { registeredCapital: 60_000_000, headcount: 80, channel: 'social-media' },
    });
    await settle();
    expect((await get(`/customers/${a.id}`)).tier).toBe('A');
    expect((await get(`/customers/${small.id}`)).tier).toBeUndefined();
    const mail = await outbox('manager@example.com');
    expect(mail).toHaveLength(1);
    expect(mail[0]).toMatchObject({
      channel: 'email',
      subject: 'New A customer',
      body: 'A customer: Big Social Co',
    });
  });

  it('3: routes an unowned Zhejiang lead to the province pool', async () => {
    const lead = await post('/customers', { name: 'ZJ lead', region: 'Zhejiang', tags: ['lead'] });
    const owned = await post('/customers', {
      name: 'ZJ owned',
      region: 'Zhejiang',
      tags: ['lead'],
      ownerId: 'u-li',
    });
    await settle();
    expect((await get(`/customers/${lead.id}`)).ownerId).toBe('pool:zhejiang');
    expect((await get(`/customers/${owned.id}`)).ownerId).toBe('u-li');
  });

  it('5: tags a customer from the feedback recorded when the call task is closed', async () => {
    const customer = await post('/customers', { name: 'Call Me', tags: ['call-me'] });
    await settle();
    const service = await api.token('service', 'u-agent');
    const tasks = await get(`/tasks?customerId=${customer.id}&status=open`, service);
    expect(tasks.items).toHaveLength(1);
    expect(tasks.items[0]).toMatchObject({ title: 'Call Call Me', queue: 'service', status: 'open' });
    const closed = await patch(
      `/tasks/${tasks.items[0].id}`,
      { status: 'done', outcome: 'interested in the pro paddle' },
      service,
    );
    expect(closed.status).toBe(200);
    await settle();
    expect((await get(`/customers/${customer.id}`)).tags).toEqual(['call-me', 'warm']);
  });

  it('6: texts the sales manager about an opportunity over 1,000,000 only', async () => {
    const customer = await post('/customers', { name: 'Opportunity Co' });
    await post('/opportunities', { customerId: customer.id, title: 'Stadium fit-out', amount: 2_000_000 });
    await post('/opportunities', { customerId: customer.id, title: 'Club kit', amount: 500_000 });
    await settle();
    const texts = await outbox('+8613900000001');
    expect(texts.map((t: { body: string }) => t.body)).toEqual(['Big deal: Stadium fit-out (2000000)']);
  });

  it('7 and 8: a won opportunity becomes exactly one order and tags the customer; a lost one tags it too', async () => {
    const customer = await post('/customers', { name: 'Deal Co' });
    const won = await post('/opportunities', {
      customerId: customer.id,
      title: 'Tables',
      amount: 80_000,
      stage: 'quote',
    });
    expect((await patch(`/opportunities/${won.id}`, { stage: 'won' })).status).toBe(200);
    await settle();
    // A later edit of the won opportunity must not create a second order.
    await patch(`/opportunities/${won.id}`, { title: 'Tables (signed)' });
    await settle();
    const orders = await get(`/orders?customerId=${customer.id}`);
    expect(orders.items).toHaveLength(1);
    expect(orders.items[0]).toMatchObject({ opportunityId: won.id, amount: 80_000, status: 'pending' });
    expect((await get(`/customers/${customer.id}`)).tags).toEqual(['won-deal']);

    const other = await post('/customers', { name: 'Lost Co' });
    const lost = await post('/opportunities', { customerId: other.id, title: 'Nets', amount: 1000 });
    await patch(`/opportunities/${lost.id}`, { stage: 'lost' });
    await settle();
    expect((await get(`/customers/${other.id}`)).tags).toEqual(['lost-deal']);
    expect((await get(`/orders?customerId=${other.id}`)).items).toEqual([]);
  });

  it('9: tells the warehouse when an order becomes ready to ship', async () => {
    const customer = await post('/customers', { name: 'Ship Co' });
    const opportunity = await post('/opportunities', {
      customerId: customer.id,
      title: 'Balls',
      amount: 300,
    });
    await patch(`/opportunities/${opportunity.id}`, { stage: 'won' });
    await settle();
    const [order] = (await get(`/orders?customerId=${customer.id}`)).items;
    expect((await patch(`/orders/${order.id}`, { status: 'ready-to-ship' })).status).toBe(200);
    await settle();
    const mail = await outbox('warehouse@example.com');
    expect(mail.map((m: { body: string }) => m.body)).toEqual([`Order ${order.id} for Ship Co is ready`]);
  });

  it('10: sets the tier from total sales', async () => {
    await api.call('PUT', '/products/BIG-TABLE', {
      token: admin,
      body: { name: 'Competition table', category: 'table-tennis', price: 6000 },
    });
    const customer = await post('/customers', { name: 'Club' });
    const buy = () =>
      post('/purchases', {
        customerId: customer.id,
        purchasedAt: '2026-11-22T10:00:00+08:00',
        items: [{ sku: 'BIG-TABLE', quantity: 1 }],
      });
    await buy();
    await settle();
    expect(await get(`/customers/${customer.id}`)).toMatchObject({ totalSales: 6000 });
    expect((await get(`/customers/${customer.id}`)).tier).toBeUndefined();
    await buy();
    await settle();
    expect(await get(`/customers/${customer.id}`)).toMatchObject({ totalSales: 12000, tier: 'gold' });
  });
});

describe('rule safety', () => {
  it('never lets a rule re-trigger itself, and records the skip', async () => {
    const rule = await post('/automation-rules', {
      name: 'retail tag',
      on: 'customer.updated',
      when: { industry: ['Retail'] },
      do: [{ type: 'tag', add: ['retail'] }],
    });
    const customer = await post('/customers', { name: 'Shop' });
    await patch(`/customers/${customer.id}`, { industry: 'Retail' });
    await settle();
    expect((await get(`/customers/${customer.id}`)).tags).toEqual(['retail']);
    const runs = (await get(`/automation-rules/${rule.id}/runs`)).items;
    expect(runs.map((r: { result: string }) => r.result).sort()).toEqual(['applied', 'skipped']);
    expect(runs.find((r: { result: string }) => r.result === 'skipped').reason).toMatch(
      /this rule made the change/,
    );
    await api.call('DELETE', `/automation-rules/${rule.id}`, { token: admin });
  });

  it('rejects a rule whose condition or actions are malformed, naming the field', async () => {
    const response = await api.call('POST', '/automation-rules', {
      token: admin,
      body: {
        name: 'bad',
        on: 'customer.created',
        when: { region: 'Beijing', amount: [{ numeric: ['>>', 1] }] },
        do: [
          { type: 'createOrder' },
          { type: 'notify', channel: 'sms', to: 'not-a-phone', message: '{{#if}}' },
        ],
      },
    });
    expect(response.status).toBe(400);
    expect(response.body.errors.map((e: { path: string }) => e.path)).toEqual(
      expect.arrayContaining(['when.region', 'when.amount.0', 'do.0.type', 'do.1.message', 'do.1.to']),
    );
  });

  it('is admin only', async () => {
    const sales = await api.token('sales');
    expect((await api.call('GET', '/automation-rules', { token: sales })).status).toBe(403);
  });

  it('stops obeying a disabled rule', async () => {
    const rule = await post('/automation-rules', {
      name: 'vip',
      on: 'customer.created',
      when: { region: ['Hainan'] },
      do: [{ type: 'tag', add: ['island'] }],
    });
    expect((await patch(`/automation-rules/${rule.id}`, { enabled: false })).body.enabled).toBe(false);
    const customer = await post('/customers', { name: 'Islander', region: 'Hainan' });
    await settle();
    expect((await get(`/customers/${customer.id}`)).tags).toEqual([]);
  });
});

describe('the request paths exercised above', () => {
  it('never scanned the table', () => {
    const counts = runtime.system.dynamoUsage.counts;
    expect(counts.get('Query') ?? 0).toBeGreaterThan(0);
    expect(counts.get('Scan') ?? 0).toBe(0);
  });
});
