import { beforeAll, describe, expect, it } from 'vitest';
import { leadRoutes } from '../../functions/http/leads.ts';
import { reportRoutes } from '../../functions/http/reports.ts';
import { taskRoutes } from '../../functions/http/tasks.ts';
import type { Role } from '../../shared/domain/principal.ts';
import { createHttpHandler } from '../../shared/http/handler.ts';
import { leadsSpecs } from '../../shared/http/routes/leads.ts';
import { reportsSpecs } from '../../shared/http/routes/reports.ts';
import { tasksSpecs } from '../../shared/http/routes/tasks.ts';
import type { CrmDependencies } from '../../shared/ports/dependencies.ts';
import { invoke } from '../support/http-event.ts';
import { fixedClock, freshTable } from '../support/table.ts';

let leads: ReturnType<typeof createHttpHandler>;
let reports: ReturnType<typeof createHttpHandler>;
let tasks: ReturnType<typeof createHttpHandler>;
let deps: CrmDependencies;
const as = (sub: string, ...roles: Role[]) => ({ sub, roles });
const li = as('u-li', 'sales');
const wang = as('u-wang', 'sales');
const manager = as('u-mgr', 'manager');
const MISSING = '01KAAAAAAAAAAAAAAAAAAAAAAA';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field
let lead: any;

beforeAll(async () => {
  ({ deps } = await freshTable(fixedClock('2026-11-23T02:00:00.000Z')));
  leads = createHttpHandler(leadsSpecs, leadRoutes, () => deps);
  reports = createHttpHandler(reportsSpecs, reportRoutes, () => deps);
  tasks = createHttpHandler(tasksSpecs, taskRoutes, () => deps);
  const created = await invoke(leads, {
    routeKey: 'POST /leads',
    body: { customer: { name: 'Zhang San' }, source: 'walk-in', interest: 'SUV', grade: 'H' },
    as: li,
  });
  expect(created.status).toBe(201);
  lead = created.body;
});

const byLead = (routeKey: string, id: string, who: ReturnType<typeof as> | null, body?: unknown) =>
  invoke(leads, { routeKey, pathParameters: { id }, ...(body === undefined ? {} : { body }), as: who });

describe('lead routes', () => {
  it('answer 401 without a token on every route', async () => {
    for (const spec of Object.values(leadsSpecs)) {
      const response = await invoke(leads, {
        routeKey: `${spec.method} ${spec.path}`,
        pathParameters: { id: lead.id },
        as: null,
      });
      expect(response.status, spec.path).toBe(401);
    }
    for (const spec of Object.values(reportsSpecs)) {
      expect((await invoke(reports, { routeKey: `${spec.method} ${spec.path}`, as: null })).status).toBe(401);
    }
  });

  it('answer 403 to roles the contract does not allow', async () => {
    const service = as('u-svc', 'service');
    expect((await invoke(leads, { routeKey: 'GET /leads', as: service })).status).toBe(403);
    expect((await invoke(leads, { routeKey: 'GET /sales/settings', as: li })).status).toBe(403);
    expect((await byLead('POST /leads/{id}/assign', lead.id, li, { ownerId: 'u-li' })).status).toBe(403);
    expect((await byLead('POST /leads/{id}/claim', lead.id, manager)).status).toBe(403);
    // admin can do everything (API.md): the claim is refused for the lead's state, not the role.
    expect((await byLead('POST /leads/{id}/claim', lead.id, as('u-adm', 'admin'))).status).toBe(409);
    expect((await byLead('POST /leads/{id}/activities', lead.id, as('m', 'marketer'), {})).status).toBe(403);
    expect((await invoke(reports, { routeKey: 'GET /reports/funnel', as: li })).status).toBe(403);
    expect((await invoke(reports, { routeKey: 'GET /reports/sales', as: service })).status).toBe(403);
    expect(
      (
        await invoke(tasks, {
          routeKey: 'POST /tasks/{id}/decision',
          pathParameters: { id: MISSING },
          body: { approve: true },
          as: li,
        })
      ).status,
    ).toBe(403);
  });

  it("answer 404 for another salesperson's lead, and for one that does not exist", async () => {
    const at = '2026-11-23T10:00:00+08:00';
    expect((await byLead('GET /leads/{id}', lead.id, wang)).status).toBe(404);
    expect((await byLead('PATCH /leads/{id}', lead.id, wang, { interest: 'x' })).status).toBe(404);
    expect((await byLead('GET /leads/{id}/activities', lead.id, wang)).status).toBe(404);
    expect(
      (await byLead('POST /leads/{id}/activities', lead.id, wang, { type: 'call', at, outcome: 'reached' }))
        .status,
    ).toBe(404);
    expect((await byLead('POST /leads/{id}/win', lead.id, wang, { amount: 1 })).status).toBe(404);
    expect((await byLead('POST /leads/{id}/lose', lead.id, wang, { reason: 'x' })).status).toBe(404);
    expect((await byLead('POST /leads/{id}/claim', lead.id, wang)).status).toBe(404);
    expect((await byLead('GET /leads/{id}', MISSING, manager)).status).toBe(404);
    expect((await byLead('POST /leads/{id}/assign', MISSING, manager, { ownerId: 'u-li' })).status).toBe(404);
    expect(
      (
        await invoke(tasks, {
          routeKey: 'POST /tasks/{id}/decision',
          pathParameters: { id: MISSING },
          body: { approve: true },
          as: manager,
        })
      ).status,
    ).toBe(404);
    expect((await byLead('GET /leads/{id}', lead.id, manager)).status).toBe(200);
    expect((await byLead('GET /leads/{id}', lead.id, as('m', 'marketer'))).status).toBe(200);
  });

  it('answer 400 naming the field, and write nothing', async () => {
    const bad = await invoke(leads, {
      routeKey: 'POST /leads',
      body: { customer: { name: 'X', phone: '12' }, source: 'fax', interest: '', grade: 'H', extra: 1 },
      as: li,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(
      expect.arrayContaining(['source', 'interest', 'extra']),
    );
    const both = await invoke(leads, {
      routeKey: 'POST /leads',
      body: {
        customerId: lead.customerId,
        customer: { name: 'X' },
        source: 'web',
        interest: 'x',
        grade: 'H',
      },
      as: li,
    });
    expect(both.body.errors[0].path).toBe('customerId');
    const phone = await invoke(leads, {
      routeKey: 'POST /leads',
      body: { customer: { name: 'X', phone: '12345' }, source: 'web', interest: 'x', grade: 'H' },
      as: li,
    });
    expect(phone.body.errors[0].path).toBe('customer.phone');
    const naive = await byLead('POST /leads/{id}/activities', lead.id, li, {
      type: 'call',
      at: '2026-11-23T10:00:00',
      outcome: 'reached',
    });
    expect(naive.body.errors[0].path).toBe('at');
    const list = await invoke(leads, { routeKey: 'GET /leads', as: li });
    expect(list.body.items).toHaveLength(1);
    const report = await invoke(reports, {
      routeKey: 'GET /reports/sales',
      query: { period: 'year' },
      as: manager,
    });
    expect(report.body.errors[0].path).toBe('query.period');
  });

  it('honour If-Match on PATCH (412 when stale)', async () => {
    const stale = await invoke(leads, {
      routeKey: 'PATCH /leads/{id}',
      pathParameters: { id: lead.id },
      headers: { 'If-Match': '"7"' },
      body: { interest: 'SUV X5' },
      as: li,
    });
    expect(stale.status).toBe(412);
    const fresh = await invoke(leads, {
      routeKey: 'PATCH /leads/{id}',
      pathParameters: { id: lead.id },
      headers: { 'If-Match': `"${lead.version}"` },
      body: { interest: 'SUV X5', grade: 'A' },
      as: li,
    });
    expect(fresh.status).toBe(200);
    expect(fresh.body).toMatchObject({ interest: 'SUV X5', grade: 'A', lastGradeChange: 'down', version: 2 });
  });

  it('give a sales user their own report row only', async () => {
    const own = await invoke(reports, {
      routeKey: 'GET /reports/sales',
      query: { ownerId: 'u-wang' },
      as: li,
    });
    expect(own.status).toBe(200);
    expect(own.body.rows.map((r: { ownerId: string }) => r.ownerId)).toEqual(['u-li']);
  });
});
