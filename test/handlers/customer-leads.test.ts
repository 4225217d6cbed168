import { beforeAll, describe, expect, it } from 'vitest';
import { customerRoutes } from '../../functions/http/customers.ts';
import { leadRoutes } from '../../functions/http/leads.ts';
import { taskRoutes } from '../../functions/http/tasks.ts';
import type { BusEvent } from '../../shared/events/domain-event.ts';
import { createHttpHandler } from '../../shared/http/handler.ts';
import { customersSpecs } from '../../shared/http/routes/customers.ts';
import { leadsSpecs } from '../../shared/http/routes/leads.ts';
import { tasksSpecs } from '../../shared/http/routes/tasks.ts';
import type { CrmDependencies } from '../../shared/ports/dependencies.ts';
import { importCustomerRow } from '../../shared/use-cases/import-rows.ts';
import { forgetCustomer } from '../../shared/use-cases/touchpoints.ts';
import { invoke } from '../support/http-event.ts';
import { fixedClock, freshTable } from '../support/table.ts';

let deps: CrmDependencies;
let customers: ReturnType<typeof createHttpHandler>;
let leads: ReturnType<typeof createHttpHandler>;
let tasks: ReturnType<typeof createHttpHandler>;

const sales = (sub: string) => ({ sub, roles: ['sales' as const] });
const A = sales('u-a');
const B = sales('u-b');
const contact = { type: 'call', at: '2026-11-23T10:00:00+08:00', outcome: 'reached' };

beforeAll(async () => {
  ({ deps } = await freshTable(fixedClock('2026-11-23T02:00:00.000Z')));
  customers = createHttpHandler(customersSpecs, customerRoutes, () => deps);
  leads = createHttpHandler(leadsSpecs, leadRoutes, () => deps);
  tasks = createHttpHandler(tasksSpecs, taskRoutes, () => deps);
});

const newLead = async (as: ReturnType<typeof sales>, body: Record<string, unknown>) => {
  const created = await invoke(leads, {
    routeKey: 'POST /leads',
    body: { source: 'walk-in', interest: 'SUV', grade: 'H', ...body },
    as,
  });
  expect(created.status).toBe(201);
  return created.body;
};
const onLead = (routeKey: string, id: string, as: ReturnType<typeof sales> | undefined, body?: unknown) =>
  invoke(leads, { routeKey, pathParameters: { id }, ...(body === undefined ? {} : { body }), as });
const task = async (id: string) => (await deps.tasks.get(id)) ?? expect.fail(`task ${id} is missing`);

describe('a customer’s leads follow it to its new owner (issue 10)', () => {
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field
  let lead: any;
  // biome-ignore lint/suspicious/noExplicitAny: as above
  let closed: any;
  let customerId: string;

  beforeAll(async () => {
    lead = await newLead(A, { customer: { name: 'Moves With Leads' } });
    customerId = lead.customerId;
    closed = await newLead(A, { customerId, interest: 'Sedan' });
    expect((await onLead('POST /leads/{id}/lose', closed.id, A, { reason: 'bought elsewhere' })).status).toBe(
      200,
    );
    const moved = await invoke(customers, {
      routeKey: 'PATCH /customers/{id}',
      pathParameters: { id: customerId },
      body: { ownerId: 'u-b' },
    });
    expect(moved.status).toBe(200);
  });

  it('the old owner gets 404 on the lead and can record nothing on it', async () => {
    expect((await onLead('GET /leads/{id}', lead.id, A)).status).toBe(404);
    expect((await onLead('GET /leads/{id}/activities', lead.id, A)).status).toBe(404);
    expect((await onLead('POST /leads/{id}/activities', lead.id, A, contact)).status).toBe(404);
    const listed = await invoke(leads, { routeKey: 'GET /leads', as: A });
    expect(listed.body.items.map((l: { id: string }) => l.id)).not.toContain(lead.id);
  });

  it('the new owner holds the open lead, its activities and its callback', async () => {
    const read = await onLead('GET /leads/{id}', lead.id, B);
    expect(read.status).toBe(200);
    expect(read.body.ownerId).toBe('u-b');
    const activities = await onLead('GET /leads/{id}/activities', lead.id, B);
    expect(activities.status).toBe(200);
    expect(activities.body.items.map((a: { type: string }) => a.type)).toContain('assigned');
    expect((await onLead('POST /leads/{id}/activities', lead.id, B, contact)).status).toBe(201);

    const old = await task(lead.callbackTaskId);
    expect(old.status).toBe('cancelled');
    const now = (await deps.leads.get(lead.id)) ?? expect.fail('lead is missing');
    expect((await task(now.callbackTaskId as string)).assigneeId).toBe('u-b');
    const mine = await invoke(tasks, { routeKey: 'GET /tasks', query: { customerId }, as: B });
    expect(mine.body.items.map((t: { id: string }) => t.id)).toContain(now.callbackTaskId);
  });

  it('a closed lead stays with whoever closed it', async () => {
    expect((await deps.leads.get(closed.id))?.ownerId).toBe('u-a');
  });

  it('the same PATCH again moves nothing', async () => {
    const before = (await deps.leads.get(lead.id)) ?? expect.fail('lead is missing');
    const again = await invoke(customers, {
      routeKey: 'PATCH /customers/{id}',
      pathParameters: { id: customerId },
      body: { ownerId: 'u-b' },
    });
    expect(again.status).toBe(200);
    expect((await deps.leads.get(lead.id))?.version).toBe(before.version);
  });
});

describe('every way a customer changes hands takes its open leads along', () => {
  it('assigning one of its leads brings the others', async () => {
    const first = await newLead(A, { customer: { name: 'Two Leads' } });
    const second = await newLead(A, { customerId: first.customerId, interest: 'Sedan' });
    const assigned = await onLead('POST /leads/{id}/assign', first.id, undefined, { ownerId: 'u-c' });
    expect(assigned.status).toBe(200);
    expect((await deps.customers.get(first.customerId))?.ownerId).toBe('u-c');
    const other = (await deps.leads.get(second.id)) ?? expect.fail('lead is missing');
    expect(other.ownerId).toBe('u-c');
    expect((await task(other.callbackTaskId as string)).assigneeId).toBe('u-c');
  });

  it('an import row naming another owner', async () => {
    const lead = await newLead(A, { customer: { name: 'Imported Owner', externalId: 'CARD-77' } });
    const row = await importCustomerRow(deps, 1, {
      externalId: 'CARD-77',
      name: 'Imported Owner',
      ownerId: 'u-d',
    });
    expect(row.outcome).toBe('updated');
    expect((await deps.leads.get(lead.id))?.ownerId).toBe('u-d');
  });
});

describe('deleting a customer erases and closes its leads (issue 10)', () => {
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field
  let lead: any;
  // biome-ignore lint/suspicious/noExplicitAny: as above
  let won: any;
  const secret = 'wife Li Hua, 138 0000 1111';
  const FOLLOW_UP = '01KAAAAAAAAAAAAAAAAAAAAAF1';

  beforeAll(async () => {
    lead = await newLead(A, {
      customer: { name: 'Forget Me', phone: '+8613955500001' },
      interest: 'SUV for the twins',
      note: `lives at 5 Main St; ${secret}`,
      companions: [{ relation: 'wife Li Hua', note: secret }],
    });
    won = await newLead(A, { customerId: lead.customerId, interest: 'Roof box', note: secret });
    expect((await onLead('POST /leads/{id}/win', won.id, A, { amount: 100 })).status).toBe(200);
    await deps.tasks.create({
      id: FOLLOW_UP,
      type: 'follow-up',
      customerId: lead.customerId,
      title: 'Ask Forget Me about the roof box',
      reason: 'test',
      assigneeId: 'u-a',
      dueAt: '2026-11-25T02:00:00.000Z',
      status: 'open',
      createdAt: '2026-11-22T02:00:00.000Z',
      updatedAt: '2026-11-22T02:00:00.000Z',
      version: 1,
    });
    const customer = await deps.customers.get(lead.customerId);
    expect(
      (
        await invoke(customers, {
          routeKey: 'DELETE /customers/{id}',
          pathParameters: { id: lead.customerId },
        })
      ).status,
    ).toBe(204);
    const event = {
      'detail-type': 'customer.deleted',
      detail: { eventId: 'e-forget', entity: { ...customer }, changed: [] },
    } as unknown as BusEvent;
    await forgetCustomer(deps, event);
    // Delivered twice, as EventBridge may.
    await forgetCustomer(deps, event);
  });

  it('the lead keeps none of the personal fields', async () => {
    for (const id of [lead.id, won.id]) {
      const read = await onLead('GET /leads/{id}', id, undefined);
      expect(read.status).toBe(200);
      expect(JSON.stringify(read.body)).not.toContain('Li Hua');
      expect(JSON.stringify(read.body)).not.toContain('Main St');
      expect(read.body.interest).toBe('(erased)');
      expect(read.body.companions).toEqual([]);
      expect(read.body.note).toBeUndefined();
      expect(read.body.erasedAt).toBeDefined();
    }
  });

  it('an open lead is closed lost with its callback cancelled; a won one stays won', async () => {
    const read = await onLead('GET /leads/{id}', lead.id, A);
    expect(read.body).toMatchObject({ status: 'lost', lostReason: 'customer erased' });
    expect(read.body.callbackTaskId).toBeUndefined();
    const callback = await task(lead.callbackTaskId);
    expect(callback.status).toBe('cancelled');
    expect(callback.title).not.toContain('Forget Me');
    expect((await onLead('GET /leads/{id}', won.id, A)).body.status).toBe('won');
  });

  it('the customer’s other open tasks are cancelled too', async () => {
    const followUp = await task(FOLLOW_UP);
    expect(followUp).toMatchObject({ status: 'cancelled', outcome: 'customer erased' });
    expect(followUp.title).not.toContain('Forget Me');
  });

  it('nothing more can be done with it', async () => {
    expect((await onLead('POST /leads/{id}/win', lead.id, A, { amount: 1 })).status).toBe(409);
    expect((await onLead('POST /leads/{id}/lose', lead.id, A, { reason: 'x' })).status).toBe(409);
    expect((await onLead('POST /leads/{id}/activities', lead.id, A, contact)).status).toBe(409);
    expect((await onLead('POST /leads/{id}/assign', lead.id, undefined, { ownerId: 'u-b' })).status).toBe(
      409,
    );
    const patched = await onLead('PATCH /leads/{id}', lead.id, A, { note: secret });
    expect(patched.status).toBe(409);
    expect((await deps.leads.get(lead.id))?.note).toBeUndefined();
  });
});
