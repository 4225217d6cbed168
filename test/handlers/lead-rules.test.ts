import { beforeAll, describe, expect, it } from 'vitest';
import { customerRoutes } from '../../functions/http/customers.ts';
import { leadRoutes } from '../../functions/http/leads.ts';
import { reportRoutes } from '../../functions/http/reports.ts';
import { taskRoutes } from '../../functions/http/tasks.ts';
import type { Role } from '../../shared/domain/principal.ts';
import { createHttpHandler } from '../../shared/http/handler.ts';
import { customersSpecs } from '../../shared/http/routes/customers.ts';
import { leadsSpecs } from '../../shared/http/routes/leads.ts';
import { reportsSpecs } from '../../shared/http/routes/reports.ts';
import { tasksSpecs } from '../../shared/http/routes/tasks.ts';
import type { CrmDependencies } from '../../shared/ports/dependencies.ts';
import { invoke } from '../support/http-event.ts';
import { fixedClock, freshTable } from '../support/table.ts';

/** The rules an outside tester found unenforced (issue 14): each case failed before its fix. */

let leads: ReturnType<typeof createHttpHandler>;
let reports: ReturnType<typeof createHttpHandler>;
let tasks: ReturnType<typeof createHttpHandler>;
let customers: ReturnType<typeof createHttpHandler>;
let deps: CrmDependencies;
const NOW = '2026-11-23T02:00:00.000Z';
const as = (sub: string, ...roles: Role[]) => ({ sub, roles });
const li = as('u-li', 'sales');
const wang = as('u-wang', 'sales');
const manager = as('u-mgr', 'manager');
const admin = as('u-admin', 'admin');
const service = as('u-svc', 'service');
type Who = ReturnType<typeof as>;

beforeAll(async () => {
  ({ deps } = await freshTable(fixedClock(NOW)));
  leads = createHttpHandler(leadsSpecs, leadRoutes, () => deps);
  reports = createHttpHandler(reportsSpecs, reportRoutes, () => deps);
  tasks = createHttpHandler(tasksSpecs, taskRoutes, () => deps);
  customers = createHttpHandler(customersSpecs, customerRoutes, () => deps);
  await deps.products.put(
    {
      sku: 'PADDLE',
      name: 'Paddle shifters',
      category: 'parts',
      price: 120,
      createdAt: NOW,
      updatedAt: NOW,
      version: 1,
    },
    undefined,
  );
});

const newLead = async (who: Who = li, extra: Record<string, unknown> = {}) => {
  const created = await invoke(leads, {
    routeKey: 'POST /leads',
    body: { customer: { name: 'Zhang San' }, source: 'walk-in', interest: 'SUV', grade: 'H', ...extra },
    as: who,
  });
  expect(created.status).toBe(201);
  return created.body;
};
const byLead = (routeKey: string, id: string, who: Who, body?: unknown, headers?: Record<string, string>) =>
  invoke(leads, {
    routeKey,
    pathParameters: { id },
    ...(body === undefined ? {} : { body }),
    ...(headers ? { headers } : {}),
    as: who,
  });
const patchTask = (id: string, who: Who, body: unknown) =>
  invoke(tasks, { routeKey: 'PATCH /tasks/{id}', pathParameters: { id }, body, as: who });
const paths = (response: { body: { errors?: { path: string }[] } }) =>
  (response.body.errors ?? []).map((e) => e.path);
const call = (extra: Record<string, unknown> = {}) => ({
  type: 'call',
  at: '2026-11-23T09:30:00+08:00',
  outcome: 'reached',
  ...extra,
});

describe('callbacks leave only through a contact or the decision flow', () => {
  it('answers 400 naming status to every role that cancels a callback directly, and changes nothing', async () => {
    const lead = await newLead();
    for (const who of [li, manager, admin, service]) {
      const response = await patchTask(lead.callbackTaskId, who, { status: 'cancelled' });
      expect(response.status, who.sub).toBe(400);
      expect(response.headers['content-type'] ?? response.headers['Content-Type']).toContain(
        'application/problem+json',
      );
      expect(paths(response), who.sub).toEqual(['status']);
    }
    expect((await deps.tasks.get(lead.callbackTaskId))?.status).toBe('open');
    const after = await byLead('GET /leads/{id}', lead.id, li);
    expect(after.body).toMatchObject({
      callbackTaskId: lead.callbackTaskId,
      nextCallbackAt: lead.nextCallbackAt,
    });
  });

  it('answers 400 naming status to every role that reopens a done or cancelled callback', async () => {
    const lead = await newLead();
    const done = lead.callbackTaskId;
    expect((await byLead('POST /leads/{id}/activities', lead.id, li, call())).status).toBe(201);
    expect((await deps.tasks.get(done))?.status).toBe('done');
    // A cancelled one: the cancel request approved by a manager.
    const planned = (await byLead('GET /leads/{id}', lead.id, li)).body.callbackTaskId;
    expect((await patchTask(planned, li, { status: 'cancel-requested', reason: 'abroad' })).status).toBe(200);
    const decided = await invoke(tasks, {
      routeKey: 'POST /tasks/{id}/decision',
      pathParameters: { id: planned },
      body: { approve: true },
      as: manager,
    });
    expect(decided.body.status).toBe('cancelled');
    for (const id of [done, planned]) {
      for (const who of [li, manager, admin, service]) {
        const response = await patchTask(id, who, { status: 'open' });
        expect(response.status, `${id} ${who.sub}`).toBe(400);
        expect(paths(response)).toEqual(['status']);
      }
    }
    const open = (await deps.tasks.list({ status: 'open', customerId: lead.customerId }, { limit: 50 }))
      .items;
    expect(open.filter((task) => task.type === 'callback')).toHaveLength(1);
  });

  it('still lets the assignee withdraw a cancel request (the callback stays the open one)', async () => {
    const lead = await newLead();
    expect(
      (await patchTask(lead.callbackTaskId, li, { status: 'cancel-requested', reason: 'abroad' })).status,
    ).toBe(200);
    const back = await patchTask(lead.callbackTaskId, li, { status: 'open' });
    expect(back.status).toBe(200);
    expect(back.body.status).toBe('open');
  });
});

describe('POST /leads with an owner and an existing customer', () => {
  it('moves the customer to the new owner, as assign and claim do', async () => {
    const lis = await newLead(li);
    const created = await invoke(leads, {
      routeKey: 'POST /leads',
      body: { customerId: lis.customerId, ownerId: 'u-wang', source: 'phone', interest: 'MPV', grade: 'H' },
      as: manager,
    });
    expect(created.status).toBe(201);
    expect(created.body.ownerId).toBe('u-wang');
    expect((await deps.customers.get(lis.customerId))?.ownerId).toBe('u-wang');
    const customer = await invoke(customers, {
      routeKey: 'GET /customers/{id}',
      pathParameters: { id: lis.customerId },
      as: wang,
    });
    expect(customer.status).toBe(200);
    expect((await deps.tasks.get(created.body.callbackTaskId))?.assigneeId).toBe('u-wang');
  });
});

describe('a closed lead', () => {
  it('answers 409 to a PATCH and keeps its grade', async () => {
    const lead = await newLead();
    const won = await byLead('POST /leads/{id}/win', lead.id, li, { amount: 100 });
    expect(won.status).toBe(200);
    const regrade = await byLead('PATCH /leads/{id}', lead.id, li, { grade: 'B' });
    expect(regrade.status).toBe(409);
    expect((await byLead('PATCH /leads/{id}', lead.id, manager, { interest: 'x' })).status).toBe(409);
    expect(await deps.leads.get(lead.id)).toMatchObject({
      grade: 'H',
      status: 'won',
      version: won.body.version,
    });
  });
});

describe('POST /leads/{id}/win', () => {
  it('applies the money rule to amount and unit prices, and writes nothing', async () => {
    const lead = await newLead();
    const bad = await byLead('POST /leads/{id}/win', lead.id, li, {
      amount: 1.234,
      items: [{ sku: 'PADDLE', quantity: 1, unitPrice: 0.001 }],
    });
    expect(bad.status).toBe(400);
    expect(paths(bad)).toEqual(expect.arrayContaining(['amount', 'items.0.unitPrice']));
    expect((await deps.leads.get(lead.id))?.status).toBe('open');
  });

  it('answers 400 naming items.N.sku for an unknown product, as purchases do', async () => {
    const lead = await newLead();
    const bad = await byLead('POST /leads/{id}/win', lead.id, li, {
      amount: 100,
      items: [
        { sku: 'PADDLE', quantity: 1 },
        { sku: 'NOPE', quantity: 1 },
      ],
    });
    expect(bad.status).toBe(400);
    expect(paths(bad)).toEqual(['items.1.sku']);
    expect(await deps.leads.get(lead.id)).toMatchObject({ status: 'open', version: lead.version });
    const good = await byLead('POST /leads/{id}/win', lead.id, li, {
      amount: 120.5,
      items: [{ sku: 'PADDLE', quantity: 1, unitPrice: 120.5 }],
    });
    expect(good.status).toBe(200);
    expect((await deps.orders.get(good.body.orderId))?.items).toEqual([
      { sku: 'PADDLE', quantity: 1, unitPrice: 120.5 },
    ]);
  });
});

describe('POST /leads/{id}/activities', () => {
  it('honours If-Match (412 when stale, 201 when current)', async () => {
    const lead = await newLead();
    const stale = await byLead('POST /leads/{id}/activities', lead.id, li, call(), {
      'If-Match': `"${lead.version + 5}"`,
    });
    expect(stale.status).toBe(412);
    expect((await deps.leads.get(lead.id))?.version).toBe(lead.version);
    const fresh = await byLead('POST /leads/{id}/activities', lead.id, li, call(), {
      'If-Match': `"${lead.version}"`,
    });
    expect(fresh.status).toBe(201);
  });

  it('answers 400 naming at for a contact in the future, allowing a few minutes of clock skew', async () => {
    const lead = await newLead();
    const future = await byLead(
      'POST /leads/{id}/activities',
      lead.id,
      li,
      call({ at: new Date(Date.parse(NOW) + 40 * 86_400_000).toISOString() }),
    );
    expect(future.status).toBe(400);
    expect(paths(future)).toEqual(['at']);
    expect(await deps.leads.get(lead.id)).toMatchObject({
      version: lead.version,
      nextCallbackAt: lead.nextCallbackAt,
    });
    const skewed = await byLead(
      'POST /leads/{id}/activities',
      lead.id,
      li,
      call({ at: new Date(Date.parse(NOW) + 2 * 60_000).toISOString() }),
    );
    expect(skewed.status).toBe(201);
  });
});

describe('query validation', () => {
  it('answers 400 naming query.date for a report date outside 2000-01-01..2099-12-31', async () => {
    for (const date of ['2150-01-01', '1999-12-31']) {
      const response = await invoke(reports, {
        routeKey: 'GET /reports/sales',
        query: { period: 'day', date },
        as: manager,
      });
      expect(response.status, date).toBe(400);
      expect(paths(response)).toEqual(['query.date']);
    }
    const funnel = await invoke(reports, {
      routeKey: 'GET /reports/funnel',
      query: { from: '2026-11-01', to: '2150-01-01' },
      as: manager,
    });
    expect(paths(funnel)).toEqual(['query.to']);
  });

  it('answers 400 naming query.grade for a grade not on the ladder', async () => {
    const unknown = await invoke(leads, { routeKey: 'GET /leads', query: { grade: 'Z' }, as: manager });
    expect(unknown.status).toBe(400);
    expect(paths(unknown)).toEqual(['query.grade']);
    const known = await invoke(leads, { routeKey: 'GET /leads', query: { grade: 'H' }, as: li });
    expect(known.status).toBe(200);
    expect(known.body.items.length).toBeGreaterThan(0);
  });
});
