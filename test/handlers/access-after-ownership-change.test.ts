import { beforeAll, describe, expect, it } from 'vitest';
import { campaignRoutes } from '../../functions/http/campaigns.ts';
import { customerRoutes } from '../../functions/http/customers.ts';
import { pipelineRoutes } from '../../functions/http/pipeline.ts';
import { purchaseRoutes } from '../../functions/http/purchases.ts';
import { taskRoutes } from '../../functions/http/tasks.ts';
import type { Task } from '../../shared/domain/task.ts';
import { createHttpHandler } from '../../shared/http/handler.ts';
import { campaignsSpecs } from '../../shared/http/routes/campaigns.ts';
import { customersSpecs } from '../../shared/http/routes/customers.ts';
import { pipelineSpecs } from '../../shared/http/routes/pipeline.ts';
import { purchasesSpecs } from '../../shared/http/routes/purchases.ts';
import { tasksSpecs } from '../../shared/http/routes/tasks.ts';
import type { CrmDependencies } from '../../shared/ports/dependencies.ts';
import { invoke } from '../support/http-event.ts';
import { freshTable } from '../support/table.ts';

let deps: CrmDependencies;
let customers: ReturnType<typeof createHttpHandler>;
let pipeline: ReturnType<typeof createHttpHandler>;
let tasks: ReturnType<typeof createHttpHandler>;
let purchases: ReturnType<typeof createHttpHandler>;
let campaigns: ReturnType<typeof createHttpHandler>;

beforeAll(async () => {
  ({ deps } = await freshTable());
  customers = createHttpHandler(customersSpecs, customerRoutes, () => deps);
  pipeline = createHttpHandler(pipelineSpecs, pipelineRoutes, () => deps);
  tasks = createHttpHandler(tasksSpecs, taskRoutes, () => deps);
  purchases = createHttpHandler(purchasesSpecs, purchaseRoutes, () => deps);
  campaigns = createHttpHandler(campaignsSpecs, campaignRoutes, () => deps);
});

const sales = (sub: string) => ({ sub, roles: ['sales' as const] });
const A = sales('u-a');
const B = sales('u-b');
const ids = (page: { items: { id: string }[] }) => page.items.map((item) => item.id);

const task = (id: string, customerId: string, assigneeId: string, status: Task['status'] = 'open'): Task => ({
  id,
  type: 'follow-up',
  customerId,
  title: 'Call',
  reason: 'test',
  assigneeId,
  dueAt: '2026-11-25T02:00:00.000Z',
  status,
  createdAt: '2026-11-22T02:00:00.000Z',
  updatedAt: '2026-11-22T02:00:00.000Z',
  version: 1,
});

describe('access follows the customer’s current owner', () => {
  let customerId: string;
  let opportunityId: string;
  let orderId: string;
  const taskId = '01KAAAAAAAAAAAAAAAAAAAAAT1';

  beforeAll(async () => {
    const customer = await invoke(customers, { routeKey: 'POST /customers', body: { name: 'Moves' }, as: A });
    customerId = customer.body.id;
    const opportunity = await invoke(pipeline, {
      routeKey: 'POST /opportunities',
      body: { customerId, title: 'Tables', amount: 1000 },
      as: A,
    });
    opportunityId = opportunity.body.id;
    await deps.orders.create({
      id: '01KAAAAAAAAAAAAAAAAAAAAAR1',
      customerId,
      amount: 1000,
      status: 'pending',
      createdAt: '2026-11-22T02:00:00.000Z',
      updatedAt: '2026-11-22T02:00:00.000Z',
      version: 1,
    });
    orderId = '01KAAAAAAAAAAAAAAAAAAAAAR1';
    await deps.tasks.create(task(taskId, customerId, 'u-a'));
    // An admin moves the customer from A to B.
    const moved = await invoke(customers, {
      routeKey: 'PATCH /customers/{id}',
      pathParameters: { id: customerId },
      body: { ownerId: 'u-b' },
    });
    expect(moved.status).toBe(200);
  });

  it('the old owner gets 404 on read and PATCH and sees nothing in lists', async () => {
    const get = (routeKey: string, id: string) =>
      invoke(pipeline, { routeKey, pathParameters: { id }, as: A });
    expect((await get('GET /opportunities/{id}', opportunityId)).status).toBe(404);
    expect((await get('GET /orders/{id}', orderId)).status).toBe(404);
    const won = await invoke(pipeline, {
      routeKey: 'PATCH /opportunities/{id}',
      pathParameters: { id: opportunityId },
      body: { stage: 'won' },
      as: A,
    });
    expect(won.status).toBe(404);
    expect((await deps.opportunities.get(opportunityId))?.stage).toBe('qualification');
    const list = await invoke(pipeline, { routeKey: 'GET /opportunities', as: A });
    expect(ids(list.body)).not.toContain(opportunityId);
    const byCustomer = await invoke(pipeline, {
      routeKey: 'GET /opportunities',
      query: { customerId },
      as: A,
    });
    expect(byCustomer.body.items).toEqual([]);
    const taskPatch = await invoke(tasks, {
      routeKey: 'PATCH /tasks/{id}',
      pathParameters: { id: taskId },
      body: { status: 'cancelled' },
      as: A,
    });
    expect(taskPatch.status).toBe(404);
    expect(ids((await invoke(tasks, { routeKey: 'GET /tasks', as: A })).body)).not.toContain(taskId);
    const purchases404 = await invoke(purchases, {
      routeKey: 'GET /customers/{id}/purchases',
      pathParameters: { id: customerId },
      as: A,
    });
    expect(purchases404.status).toBe(404);
  });

  it('the new owner gets access to everything hanging off the customer', async () => {
    const opportunity = await invoke(pipeline, {
      routeKey: 'GET /opportunities/{id}',
      pathParameters: { id: opportunityId },
      as: B,
    });
    expect(opportunity.status).toBe(200);
    expect(ids((await invoke(pipeline, { routeKey: 'GET /opportunities', as: B })).body)).toContain(
      opportunityId,
    );
    expect(
      (await invoke(pipeline, { routeKey: 'GET /orders/{id}', pathParameters: { id: orderId }, as: B }))
        .status,
    ).toBe(200);
    const byCustomer = await invoke(tasks, { routeKey: 'GET /tasks', query: { customerId }, as: B });
    expect(ids(byCustomer.body)).toContain(taskId);
    const patched = await invoke(pipeline, {
      routeKey: 'PATCH /opportunities/{id}',
      pathParameters: { id: opportunityId },
      body: { stage: 'demo' },
      as: B,
    });
    expect(patched.status).toBe(200);
    const closed = await invoke(tasks, {
      routeKey: 'PATCH /tasks/{id}',
      pathParameters: { id: taskId },
      body: { status: 'cancelled' },
      as: B,
    });
    expect(closed.status).toBe(200);
  });
});

describe('GET /tasks honours every filter together', () => {
  it('applies customerId, assigneeId and status at once', async () => {
    const one = await invoke(customers, { routeKey: 'POST /customers', body: { name: 'One' } });
    const two = await invoke(customers, { routeKey: 'POST /customers', body: { name: 'Two' } });
    await deps.tasks.create(task('01KAAAAAAAAAAAAAAAAAAAAAF1', one.body.id, 'u-svc'));
    await deps.tasks.create(task('01KAAAAAAAAAAAAAAAAAAAAAF2', two.body.id, 'u-svc'));
    await deps.tasks.create(task('01KAAAAAAAAAAAAAAAAAAAAAF3', one.body.id, 'u-svc', 'done'));
    await deps.tasks.create(task('01KAAAAAAAAAAAAAAAAAAAAAF4', one.body.id, 'u-other'));
    const list = await invoke(tasks, {
      routeKey: 'GET /tasks',
      query: { customerId: one.body.id, assigneeId: 'u-svc', status: 'open' },
    });
    expect(ids(list.body)).toEqual(['01KAAAAAAAAAAAAAAAAAAAAAF1']);
  });
});

describe('Idempotency-Key replays', () => {
  it('never hand a response made for one role to the same sub acting in another', async () => {
    const headers = { 'Idempotency-Key': 'role-scoped' };
    const admin = { sub: 'u-dual', roles: ['admin' as const] };
    const first = await invoke(customers, {
      routeKey: 'POST /customers',
      headers,
      body: { name: 'Dual', ownerId: 'u-someone' },
      as: admin,
    });
    expect(first.status).toBe(201);
    const asSales = await invoke(customers, {
      routeKey: 'POST /customers',
      headers,
      body: { name: 'Dual', ownerId: 'u-someone' },
      as: sales('u-dual'),
    });
    // Run afresh as sales, which may not hand a customer to someone else.
    expect(asSales.status).toBe(400);
    expect(asSales.headers['idempotent-replayed']).toBeUndefined();
  });

  it('treat an expired key as new before the TTL sweeper removes it', async () => {
    const start = new Date('2026-01-01T00:00:00Z');
    await deps.idempotency.claim('expiring', 'f1', start);
    await deps.idempotency.complete('expiring', { statusCode: 201, headers: {}, body: '{}' }, start);
    const dayLater = new Date(start.getTime() + 24 * 3600_000 + 1000);
    expect((await deps.idempotency.claim('expiring', 'f2', dayLater)).state).toBe('claimed');
  });
});

describe('the service role', () => {
  const service = { sub: 'u-svc', roles: ['service' as const] };
  const manager = { sub: 'u-mgr', roles: ['manager' as const] };

  it.each([
    ['service', service],
    ['manager', manager],
  ])('%s reads a customer’s purchases and messages, as on the timeline', async (_role, as) => {
    const customer = await invoke(customers, { routeKey: 'POST /customers', body: { name: 'Svc' } });
    const list = await invoke(purchases, {
      routeKey: 'GET /customers/{id}/purchases',
      pathParameters: { id: customer.body.id },
      as,
    });
    expect(list.status).toBe(200);
    const messages = await invoke(campaigns, {
      routeKey: 'GET /messages',
      query: { customerId: customer.body.id },
      as,
    });
    expect(messages.status).toBe(200);
  });

  it('still may not write purchases or manage campaigns', async () => {
    expect((await invoke(purchases, { routeKey: 'POST /purchases', body: {}, as: service })).status).toBe(
      403,
    );
    expect((await invoke(campaigns, { routeKey: 'GET /campaigns', as: service })).status).toBe(403);
  });
});

describe('concurrent PATCHes without If-Match', () => {
  it('all apply to a customer', async () => {
    const customer = await invoke(customers, { routeKey: 'POST /customers', body: { name: 'Busy' } });
    const id = customer.body.id;
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        invoke(customers, {
          routeKey: 'PATCH /customers/{id}',
          pathParameters: { id },
          body: { attributes: { [`field${i}`]: i } },
        }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    const stored = await deps.customers.get(id);
    // attributes is replaced as a whole by each PATCH, so check the version: every write landed.
    expect(stored?.version).toBe(21);
  });

  it('all apply to a customer when each changes a different top-level field', async () => {
    const customer = await invoke(customers, { routeKey: 'POST /customers', body: { name: 'Fields' } });
    const id = customer.body.id;
    const patches = [
      { region: 'Beijing' },
      { industry: 'IT' },
      { tier: 'A' },
      { locale: 'zh-CN' },
      { tags: ['vip'] },
      { interests: ['table-tennis'] },
      { email: 'f@example.com' },
      { timezone: 'Europe/Paris' },
      { consent: { email: true } },
      { consent: { sms: true } },
      { household: [{ relation: 'child', interests: ['swimming'] }] },
      { ownerId: 'u-owner' },
      { name: 'Fields 2' },
      { phone: '+8613900139000' },
      { attributes: { x: 1 } },
      { region: 'Beijing' },
      { industry: 'IT' },
      { tier: 'A' },
      { locale: 'zh-CN' },
      { tags: ['vip'] },
    ];
    const responses = await Promise.all(
      patches.map((body) =>
        invoke(customers, { routeKey: 'PATCH /customers/{id}', pathParameters: { id }, body }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    const stored = await deps.customers.get(id);
    expect(stored).toMatchObject({
      name: 'Fields 2',
      region: 'Beijing',
      industry: 'IT',
      tier: 'A',
      locale: 'zh-CN',
      tags: ['vip'],
      interests: ['table-tennis'],
      email: 'f@example.com',
      timezone: 'Europe/Paris',
      consent: { email: true, sms: true },
      ownerId: 'u-owner',
      phone: '+8613900139000',
      attributes: { x: 1 },
      version: 21,
    });
  });

  it('all apply to a campaign, with activate and pause in the mix', async () => {
    const created = await invoke(campaigns, {
      routeKey: 'POST /campaigns',
      body: {
        name: 'Race',
        kind: 'lifecycle',
        channel: 'sms',
        trigger: { timing: { afterPurchaseDays: 7 } },
        message: { body: 'Hi' },
      },
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    const calls = [
      ...Array.from({ length: 18 }, (_, i) =>
        invoke(campaigns, {
          routeKey: 'PATCH /campaigns/{id}',
          pathParameters: { id },
          body: i % 2 === 0 ? { name: `Race ${i}` } : { sendAt: `1${i % 10}:00` },
        }),
      ),
      invoke(campaigns, { routeKey: 'POST /campaigns/{id}/activate', pathParameters: { id } }),
      invoke(campaigns, { routeKey: 'POST /campaigns/{id}/pause', pathParameters: { id } }),
    ];
    const responses = await Promise.all(calls);
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect((await deps.campaigns.get(id))?.version).toBe(21);
  });
});
