import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { apiClient } from '../support/client.ts';

/**
 * A month at a 4S dealership, played by an outside client over HTTP with the local clock: leads
 * with intent grades, callbacks on the grade's cadence, a cancellation that needs the manager,
 * stale leads taken by the daily sweep, pools and claims, a win with its order, a loss, and the
 * reports checked against the test's own ledger of what it did.
 */
const ZONE = 'Asia/Shanghai';
let runtime: LocalRuntime;
let api: ReturnType<typeof apiClient>;
const t = {} as Record<'admin' | 'manager' | 'marketer' | 'service' | 'li' | 'wang' | 'zhao', string>;

type Body = Record<string, unknown>;
// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field
type Any = any;
const call = async (method: string, path: string, token: string, body?: unknown) =>
  api.call(method, path, { token, ...(body === undefined ? {} : { body }) });
const ok = async (method: string, path: string, token: string, body?: unknown): Promise<Any> => {
  const response = await call(method, path, token, body);
  if (response.status >= 300)
    throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
};
const clock = async (body: Body): Promise<{ now: string; fired: string[] }> =>
  (await api.call('POST', '/_local/clock', { body })).body;

/** Calendar arithmetic on YYYY-MM-DD. */
const addDays = (day: string, n: number) => {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
};
const shanghaiDay = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10);

/** What the test did, per salesperson and Shanghai day; the reports must add up to it. */
const ledger: { owner: string; day: string; field: string }[] = [];
const did = (owner: string, day: string, field: string) => ledger.push({ owner, day, field });
const counted = (owner: string, from: string, to: string, field: string) =>
  ledger.filter((e) => e.owner === owner && e.day >= from && e.day <= to && e.field === field).length;

let day0 = '';
let today = '';
const day = (n: number) => addDays(day0, n);
/** Moves the clock to 09:00 Shanghai on day n, one day at a time so every daily sweep fires on its day. */
const goTo = async (n: number) => {
  while (today < day(n)) {
    const next = addDays(today, 1);
    const moved = await clock({ to: `${next}T09:00:00+08:00` });
    today = shanghaiDay(moved.now);
  }
};
const nowIso = async (): Promise<string> => {
  const read = await api.call('GET', '/_local/clock');
  // Older runtimes lack GET /_local/clock; a tiny advance reads it too.
  return read.status === 200 ? read.body.now : (await clock({ advanceHours: 0.0001 })).now;
};

const callbackOf = async (leadId: string, token = t.manager as string): Promise<Any> => {
  const lead = await ok('GET', `/leads/${leadId}`, token);
  const tasks = await ok('GET', `/tasks?customerId=${lead.customerId}&limit=100`, t.manager as string);
  return tasks.items.find((task: Any) => task.id === lead.callbackTaskId);
};

/** A contact that completes the lead's open callback, booked in the ledger as the report should count it. */
const contact = async (token: string, owner: string, leadId: string, body: Body): Promise<Any> => {
  const open = await callbackOf(leadId);
  const activity = await ok('POST', `/leads/${leadId}/activities`, token, body);
  const field = { call: 'call', visit: 'visit', 'test-drive': 'testDrive' }[body.type as string];
  if (field) did(owner, shanghaiDay(activity.at), field);
  if (open && body.type !== 'note') {
    did(owner, today, 'callbacksDone');
    if (today > shanghaiDay(open.dueAt)) did(owner, shanghaiDay(open.dueAt), 'callbacksOverdue');
  }
  return activity;
};

/** Callbacks due in a period, counted from the tasks themselves (cancelled ones never fell due). */
const callbacksDue = async (owner: string, from: string, to: string) => {
  const tasks = await ok('GET', `/tasks?assigneeId=${owner}&limit=100`, t.manager as string);
  return tasks.items.filter(
    (task: Any) =>
      task.type === 'callback' &&
      task.status !== 'cancelled' &&
      shanghaiDay(task.dueAt) >= from &&
      shanghaiDay(task.dueAt) <= to,
  ).length;
};

const leads: Record<string, Any> = {};
let l3Owner = '';

beforeAll(async () => {
  runtime = await startLocalRuntime({
    port: 0,
    dynamoEndpoint: inject('dynamoEndpoint'),
    tableName: `crm-dealer-${Date.now()}`,
    defaultTimezone: ZONE,
  });
  api = apiClient(runtime.url);
  t.admin = await api.token('admin', 'u-admin');
  t.manager = await api.token('manager', 'u-mgr');
  t.marketer = await api.token('marketer', 'u-mkt');
  t.service = await api.token('service', 'u-svc');
  t.li = await api.token('sales', 'u-li');
  t.wang = await api.token('sales', 'u-wang');
  t.zhao = await api.token('sales', 'u-zhao');
  // Day 0 is the next Monday, 09:00 in Shanghai.
  const start = shanghaiDay(await nowIso());
  const weekday = new Date(`${start}T00:00:00Z`).getUTCDay();
  day0 = addDays(start, (8 - weekday) % 7 || 7);
  today = shanghaiDay((await clock({ to: `${day0}T09:00:00+08:00` })).now);
}, 60_000);
afterAll(() => runtime?.stop());

describe('a month at a dealership', () => {
  it('the manager sets the grade ladder: H weekly, A monthly, B to marketing; two pools', async () => {
    const defaults = await ok('GET', '/sales/settings', t.manager);
    expect(defaults.grades.map((g: Any) => g.code)).toEqual(['H', 'A', 'B']);
    expect(defaults.grades[0]).toMatchObject({
      callbackEveryDays: 7,
      staleAfterDays: 90,
      onStale: 'reassign',
    });

    const bad = await call('PUT', '/sales/settings', t.manager, {
      grades: [{ code: 'B', label: 'x', onStale: 'pool', pool: 'nowhere' }],
      pools: [{ id: 'marketing', name: 'Marketing' }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: Any) => e.path)).toContain('grades.0.pool');
    expect((await call('PUT', '/sales/settings', t.li, defaults)).status).toBe(403);

    // Stale after two weeks (H) so the month shows reassignment; the store's real ladder says 90 days.
    await ok('PUT', '/sales/settings', t.manager, {
      grades: [
        { code: 'H', label: '准购买', callbackEveryDays: 7, staleAfterDays: 14, onStale: 'reassign' },
        { code: 'A', label: '意向', callbackEveryDays: 30, staleAfterDays: 21, onStale: 'reassign' },
        { code: 'B', label: '潜在', onStale: 'pool', pool: 'marketing' },
      ],
      pools: [
        { id: 'marketing', name: 'Marketing follow-up' },
        { id: 'zhejiang', name: '浙江公海池' },
      ],
    });
    await ok('POST', '/automation-rules', t.admin, {
      name: '公海池 by province: Zhejiang',
      on: 'lead.created',
      when: { region: ['Zhejiang'], ownerId: [{ exists: false }] },
      do: [{ type: 'routeLead', pool: 'zhejiang' }],
    });
  });

  it('day 0: walk-in and phone leads get callbacks on their grade cadence; web leads go to pools', async () => {
    leads.l1 = await ok('POST', '/leads', t.li, {
      customer: { name: 'Zhang San', phone: '+8613800000001', region: 'Beijing' },
      source: 'walk-in',
      interest: 'SUV X5',
      grade: 'H',
      companions: [{ relation: 'spouse', note: 'decides on the colour' }],
    });
    did('u-li', today, 'newLeads');
    expect(leads.l1).toMatchObject({ ownerId: 'u-li', grade: 'H', status: 'open', source: 'walk-in' });
    expect(leads.l1.companions).toEqual([{ relation: 'spouse', note: 'decides on the colour' }]);
    expect(shanghaiDay(leads.l1.nextCallbackAt)).toBe(day(7));
    const callback = await callbackOf(leads.l1.id, t.li);
    expect(callback).toMatchObject({ type: 'callback', assigneeId: 'u-li', status: 'open' });
    expect(callback.dueAt).toBe(leads.l1.nextCallbackAt);

    const customer = await ok('POST', '/customers', t.li, { name: 'Qian Si', region: 'Beijing' });
    leads.l2 = await ok('POST', '/leads', t.li, {
      customerId: customer.id,
      source: 'phone',
      interest: 'Sedan S3',
      grade: 'A',
    });
    did('u-li', today, 'newLeads');
    expect(shanghaiDay(leads.l2.nextCallbackAt)).toBe(day(30));
    const foreign = await call('POST', '/leads', t.zhao, {
      customerId: customer.id,
      source: 'phone',
      interest: 'x',
      grade: 'A',
    });
    expect(foreign.status).toBe(400);
    expect(foreign.body.errors[0].path).toBe('customerId');
    const badGrade = await call('POST', '/leads', t.li, {
      customerId: customer.id,
      source: 'phone',
      interest: 'x',
      grade: 'Z',
    });
    expect(badGrade.body.errors[0].path).toBe('grade');

    leads.l3 = await ok('POST', '/leads', t.marketer, {
      customer: { name: 'Sun Wu', region: 'Zhejiang' },
      source: 'web',
      interest: 'EV E7',
      grade: 'H',
    });
    leads.l4 = await ok('POST', '/leads', t.marketer, {
      customer: { name: 'Zhou Liu', region: 'Beijing' },
      source: 'web',
      interest: 'MPV M9',
      grade: 'B',
    });
    expect(leads.l4).toMatchObject({ pool: 'marketing' });
    expect(leads.l4.ownerId).toBeUndefined();
    await api.call('POST', '/_local/settle');
    // The automation rule routed the Zhejiang web lead to the province's pool.
    expect(await ok('GET', `/leads/${leads.l3.id}`, t.manager)).toMatchObject({ pool: 'zhejiang' });
  });

  it('sales see only their own leads and the pools; other roles get 403', async () => {
    expect((await call('GET', `/leads/${leads.l1.id}`, t.zhao)).status).toBe(404);
    expect((await call('PATCH', `/leads/${leads.l1.id}`, t.zhao, { interest: 'x' })).status).toBe(404);
    const at = await nowIso();
    expect(
      (
        await call('POST', `/leads/${leads.l1.id}/activities`, t.zhao, {
          type: 'call',
          at,
          outcome: 'reached',
        })
      ).status,
    ).toBe(404);
    expect((await ok('GET', '/leads', t.zhao)).items).toEqual([]);
    expect((await ok('GET', '/leads?ownerId=u-li', t.zhao)).items).toEqual([]);
    expect((await ok('GET', '/leads?pool=marketing', t.zhao)).items.map((l: Any) => l.id)).toEqual([
      leads.l4.id,
    ]);
    expect((await ok('GET', '/leads', t.li)).items.map((l: Any) => l.id).sort()).toEqual(
      [leads.l1.id, leads.l2.id].sort(),
    );
    expect((await ok('GET', '/leads?grade=H', t.manager)).items.length).toBeGreaterThanOrEqual(2);
    expect((await call('GET', '/leads', t.service)).status).toBe(403);
    expect((await call('GET', '/reports/funnel', t.li)).status).toBe(403);
    expect((await call('POST', `/leads/${leads.l4.id}/assign`, t.li, { ownerId: 'u-li' })).status).toBe(403);
  });

  it('a pooled lead goes to the first salesperson who claims it; the other gets 409', async () => {
    const [li, wang] = await Promise.all([
      call('POST', `/leads/${leads.l3.id}/claim`, t.li),
      call('POST', `/leads/${leads.l3.id}/claim`, t.wang),
    ]);
    expect([li.status, wang.status].sort()).toEqual([200, 409]);
    const winner = li.status === 200 ? li.body : wang.body;
    l3Owner = winner.ownerId;
    expect(['u-li', 'u-wang']).toContain(l3Owner);
    expect(winner.pool).toBeUndefined();
    expect(shanghaiDay(winner.nextCallbackAt)).toBe(day(7));
    expect((await call('POST', `/leads/${leads.l3.id}/claim`, t.zhao)).status).toBe(409);
  });

  it('contacts complete the callback and plan the next; an upgrade counts', async () => {
    await goTo(2);
    await contact(t.li, 'u-li', leads.l1.id, {
      type: 'call',
      at: await nowIso(),
      outcome: 'reached',
      note: 'wants a test drive',
    });
    const l1 = await ok('GET', `/leads/${leads.l1.id}`, t.li);
    expect(shanghaiDay(l1.nextCallbackAt)).toBe(day(9));
    const visit = await contact(t.li, 'u-li', leads.l2.id, {
      type: 'visit',
      at: `${day(2)}T08:30:00+08:00`, // before now (09:00): a contact in the future is a 400
      outcome: 'visited',
      grade: 'H',
    });
    did('u-li', today, 'upgrades');
    expect(visit).toMatchObject({ grade: 'H', previousGrade: 'A', ownerId: 'u-li' });
    const l2 = await ok('GET', `/leads/${leads.l2.id}`, t.li);
    expect(l2).toMatchObject({ grade: 'H', lastGradeChange: 'up' });
    expect(shanghaiDay(l2.nextCallbackAt)).toBe(day(9));
    const activities = await ok('GET', `/leads/${leads.l2.id}/activities`, t.li);
    expect(activities.items.map((a: Any) => a.type)).toEqual(['visit']);
  });

  it('a callback is dropped only with the manager: refused reopens it today, approved plans the next', async () => {
    await goTo(3);
    const task = await callbackOf(leads.l1.id);
    expect((await call('PATCH', `/tasks/${task.id}`, t.li, { status: 'cancelled' })).status).toBe(400);
    expect(
      (await call('PATCH', `/tasks/${task.id}`, t.li, { status: 'cancel-requested' })).body.errors[0].path,
    ).toBe('reason');
    expect(
      (await call('PATCH', `/tasks/${task.id}`, t.wang, { status: 'cancel-requested', reason: 'x' })).status,
    ).toBe(404);
    const asked = await ok('PATCH', `/tasks/${task.id}`, t.li, {
      status: 'cancel-requested',
      reason: 'customer is abroad',
    });
    expect(asked).toMatchObject({ status: 'cancel-requested', cancelReason: 'customer is abroad' });
    expect((await call('POST', `/tasks/${task.id}/decision`, t.li, { approve: true })).status).toBe(403);

    const refused = await ok('POST', `/tasks/${task.id}/decision`, t.manager, {
      approve: false,
      note: 'call anyway',
    });
    expect(refused).toMatchObject({
      status: 'open',
      decision: { approve: false, note: 'call anyway', by: 'u-mgr' },
    });
    expect(refused.dueAt).toBe(`${day(3)}T10:00:00.000Z`); // 18:00 in Shanghai, the same day

    await ok('PATCH', `/tasks/${task.id}`, t.li, {
      status: 'cancel-requested',
      reason: 'abroad until next week',
    });
    const approved = await ok('POST', `/tasks/${task.id}/decision`, t.manager, { approve: true });
    expect(approved.status).toBe('cancelled');
    expect((await call('POST', `/tasks/${task.id}/decision`, t.manager, { approve: true })).status).toBe(409);
    const l1 = await ok('GET', `/leads/${leads.l1.id}`, t.li);
    expect(l1.callbackTaskId).not.toBe(task.id);
    expect(shanghaiDay(l1.nextCallbackAt)).toBe(day(10));
    expect((await callbackOf(leads.l1.id)).status).toBe('open');
  });

  it('a win records the order; a loss keeps its reason', async () => {
    await goTo(5);
    await contact(t.li, 'u-li', leads.l2.id, { type: 'test-drive', at: await nowIso(), outcome: 'reached' });
    // A won lead's items are products of the catalogue, as a purchase's are.
    await ok('PUT', '/products/S3-2026', t.admin, { name: 'S3 2026', category: 'car', price: 250_000 });
    const won = await ok('POST', `/leads/${leads.l2.id}/win`, t.li, {
      amount: 250_000,
      items: [{ sku: 'S3-2026', quantity: 1, unitPrice: 250_000 }],
    });
    did('u-li', today, 'won');
    expect(won).toMatchObject({ status: 'won', amount: 250_000 });
    const order = await ok('GET', `/orders/${won.orderId}`, t.li);
    expect(order).toMatchObject({
      leadId: leads.l2.id,
      amount: 250_000,
      status: 'pending',
      customerId: leads.l2.customerId,
    });
    expect((await call('POST', `/leads/${leads.l2.id}/win`, t.li, { amount: 1 })).status).toBe(409);
    expect(await callbackOf(leads.l2.id)).toBeUndefined();

    await goTo(6);
    const ownerToken = l3Owner === 'u-li' ? t.li : t.wang;
    await contact(ownerToken as string, l3Owner, leads.l3.id, {
      type: 'call',
      at: await nowIso(),
      outcome: 'refused',
    });
    const lost = await ok('POST', `/leads/${leads.l3.id}/lose`, ownerToken as string, {
      reason: 'bought a competitor’s car',
    });
    did(l3Owner, today, 'lost');
    expect(lost).toMatchObject({ status: 'lost', lostReason: 'bought a competitor’s car' });

    // An early call (07:30 in Shanghai, still the previous day in UTC) counts on the Shanghai day;
    // the next callback lands on a Saturday and moves to Monday 09:00, the customer's business hours.
    await contact(t.li, 'u-li', leads.l1.id, {
      type: 'call',
      at: `${day(6)}T07:30:00+08:00`,
      outcome: 'reached',
    });
    const l1 = await ok('GET', `/leads/${leads.l1.id}`, t.li);
    expect(l1.nextCallbackAt).toBe(`${day(14)}T01:00:00.000Z`);
    const timeline = await ok('GET', `/customers/${leads.l1.customerId}/timeline`, t.li);
    expect(timeline.items.filter((e: Any) => e.type === 'activity').map((e: Any) => e.data.type)).toEqual([
      'call',
      'call',
    ]);
  });

  it('the daily sweep takes a stale lead to the managers, who reassign it; stale again, it goes to marketing', async () => {
    await goTo(14);
    expect((await ok('GET', `/leads/${leads.l1.id}`, t.li)).ownerId).toBe('u-li');
    await goTo(15); // 14 days without an upgrade: the 00:05 sweep took it
    expect((await call('GET', `/leads/${leads.l1.id}`, t.li)).status).toBe(404);
    const stale = await ok('GET', `/leads/${leads.l1.id}`, t.manager);
    expect(stale).toMatchObject({ queue: 'manager', staleCount: 1 });
    expect(stale.ownerId).toBeUndefined();
    const activities = await ok('GET', `/leads/${leads.l1.id}/activities`, t.manager);
    expect(activities.items[0]).toMatchObject({
      type: 'reassigned',
      ownerId: 'u-li',
      actorId: 'system:daily-sweep',
    });
    const tasks = await ok('GET', `/tasks?customerId=${stale.customerId}&limit=100`, t.manager);
    const assignment = tasks.items.find((task: Any) => task.type === 'assignment' && task.status === 'open');
    expect(assignment).toMatchObject({ queue: 'manager', leadId: leads.l1.id });
    expect(tasks.items.filter((task: Any) => task.type === 'callback' && task.status === 'open')).toEqual([]);
    // Li's callback due on day 14 was still open when the day ended: the sweep marked it overdue first.
    const missed = tasks.items.find(
      (task: Any) => task.type === 'callback' && task.dueAt === `${day(14)}T01:00:00.000Z`,
    );
    expect(missed).toMatchObject({ status: 'cancelled', outcome: 'lead went stale', assigneeId: 'u-li' });
    expect(missed.overdueAt).toBeDefined();
    did('u-li', day(14), 'callbacksOverdue');
    expect((await ok('GET', `/leads?ownerId=u-li`, t.manager)).items.map((l: Any) => l.id)).not.toContain(
      leads.l1.id,
    );

    const assigned = await ok('POST', `/leads/${leads.l1.id}/assign`, t.manager, { ownerId: 'u-wang' });
    expect(assigned).toMatchObject({ ownerId: 'u-wang' });
    expect(shanghaiDay(assigned.nextCallbackAt)).toBe(day(22));
    const after = await ok('GET', `/tasks?customerId=${stale.customerId}&limit=100`, t.manager);
    expect(after.items.find((task: Any) => task.id === assignment.id).status).toBe('done');
    // The customer follows the lead to its new owner.
    expect((await call('GET', `/customers/${stale.customerId}`, t.wang)).status).toBe(200);
    expect((await call('GET', `/customers/${stale.customerId}`, t.li)).status).toBe(404);

    // Wang calls a day late: an overdue callback.
    await goTo(23);
    await contact(t.wang, 'u-wang', leads.l1.id, { type: 'call', at: await nowIso(), outcome: 'no-answer' });

    await goTo(30); // 14 days since Wang got it, no upgrade: stale a second time
    const pooled = await ok('GET', `/leads/${leads.l1.id}`, t.manager);
    expect(pooled).toMatchObject({ pool: 'marketing', staleCount: 2 });
    expect((await ok('GET', '/leads?pool=marketing', t.zhao)).items.map((l: Any) => l.id)).toContain(
      leads.l1.id,
    );
    const claimed = await ok('POST', `/leads/${leads.l1.id}/claim`, t.zhao);
    expect(claimed.ownerId).toBe('u-zhao');
  });

  it('opportunities carry stage probabilities and a lost reason; the funnel converts stage to stage', async () => {
    const customerId = leads.l2.customerId;
    const big = await ok('POST', '/opportunities', t.li, {
      customerId,
      title: 'Fleet of 4',
      amount: 1_000_000,
    });
    expect(big.probability).toBe(10);
    expect((await ok('PATCH', `/opportunities/${big.id}`, t.li, { stage: 'demo' })).probability).toBe(30);
    expect(
      (await ok('PATCH', `/opportunities/${big.id}`, t.li, { stage: 'quote', probability: 55 })).probability,
    ).toBe(55);
    await ok('PATCH', `/opportunities/${big.id}`, t.li, { stage: 'won' });
    const mid = await ok('POST', '/opportunities', t.li, {
      customerId,
      title: 'Second car',
      amount: 300_000,
    });
    await ok('PATCH', `/opportunities/${mid.id}`, t.li, { stage: 'demo' });
    const lost = await ok('PATCH', `/opportunities/${mid.id}`, t.li, { stage: 'lost', lostReason: 'price' });
    expect(lost).toMatchObject({ probability: 0, lostReason: 'price', lostFromStage: 'demo' });
    await ok('POST', '/opportunities', t.li, { customerId, title: 'Accessories', amount: 100_000 });
    await api.call('POST', '/_local/settle');

    const funnel = await ok('GET', `/reports/funnel?from=${today}&to=${today}`, t.manager);
    const stage = (name: string) => funnel.stages.find((s: Any) => s.stage === name);
    expect(stage('qualification')).toMatchObject({ count: 1, amount: 100_000, reached: 3 });
    expect(stage('demo')).toMatchObject({ count: 0, reached: 2, conversionRate: 0.6667 });
    expect(stage('quote')).toMatchObject({ reached: 1, conversionRate: 0.5 });
    expect(stage('contract')).toMatchObject({ reached: 1, conversionRate: 1 });
    expect(stage('won')).toMatchObject({ count: 1, amount: 1_000_000, reached: 1, conversionRate: 1 });
    expect(stage('lost')).toMatchObject({ count: 1, amount: 300_000 });
  });

  it('the reports add up to what happened, per salesperson, in Shanghai days', async () => {
    await api.call('POST', '/_local/settle');
    const check = async (period: string, date: string, owner: string, from: string, to: string) => {
      const report = await ok(
        'GET',
        `/reports/sales?period=${period}&date=${date}&ownerId=${owner}`,
        t.manager,
      );
      expect(report).toMatchObject({ from, to, timezone: ZONE });
      const row = report.rows.find((r: Any) => r.ownerId === owner) ?? {};
      const won = counted(owner, from, to, 'won');
      const lost = counted(owner, from, to, 'lost');
      expect(row).toMatchObject({
        newLeads: counted(owner, from, to, 'newLeads'),
        contacts: {
          call: counted(owner, from, to, 'call'),
          visit: counted(owner, from, to, 'visit'),
          testDrive: counted(owner, from, to, 'testDrive'),
        },
        callbacksDue: await callbacksDue(owner, from, to),
        callbacksDone: counted(owner, from, to, 'callbacksDone'),
        callbacksOverdue: counted(owner, from, to, 'callbacksOverdue'),
        upgrades: counted(owner, from, to, 'upgrades'),
        won,
        lost,
        conversionRate: won + lost === 0 ? 0 : Math.round((won / (won + lost)) * 10_000) / 10_000,
      });
      return row;
    };
    for (const owner of ['u-li', 'u-wang', 'u-zhao']) {
      for (let week = 0; week < 5; week++)
        await check('week', day(7 * week + 2), owner, day(7 * week), day(7 * week + 6));
    }
    for (const n of [0, 2]) await check('day', day(n), 'u-li', day(n), day(n));
    // The Shanghai-day rule, concretely: the 07:30 call on day 6 (day 5 in UTC) is on day 6.
    expect((await check('day', day(5), 'u-li', day(5), day(5))).contacts).toEqual({
      call: 0,
      visit: 0,
      testDrive: 1,
    });
    expect((await check('day', day(6), 'u-li', day(6), day(6))).contacts.call).toBe(
      l3Owner === 'u-li' ? 2 : 1,
    );
    // The ledger is not empty: the figures above compared real activity.
    const first = await check('week', day(2), 'u-li', day(0), day(6));
    expect(first).toMatchObject({ newLeads: 2, upgrades: 1, won: 1 });
    expect(first.contacts.call).toBeGreaterThanOrEqual(2);
    expect(first.callbacksDone).toBeGreaterThanOrEqual(4);
    // Week 2: the callbacks that fell due then (L1 on days 7 and 10, L2 on day 9, and L3's on day 7
    // if Li claimed it) were all done early, in week 1; the cancelled ones never fell due.
    expect((await check('week', day(9), 'u-li', day(7), day(13))).callbacksDue).toBe(
      l3Owner === 'u-li' ? 4 : 3,
    );
    expect(await check('week', day(23), 'u-wang', day(21), day(27))).toMatchObject({
      callbacksDue: 1,
      callbacksDone: 1,
      callbacksOverdue: 1,
    });

    const month = await ok('GET', `/reports/sales?period=month&date=${day(0)}`, t.manager);
    const zhao = month.rows.find((r: Any) => r.ownerId === 'u-zhao');
    expect(zhao.leadsByGrade).toEqual({ H: 1 }); // the lead Zhao claimed from the marketing pool
    expect(month.rows.find((r: Any) => r.ownerId === 'u-li').leadsByGrade).toEqual({});
    expect(month.totals.newLeads).toBe(month.rows.reduce((sum: number, r: Any) => sum + r.newLeads, 0));

    // A salesperson reads their own row only.
    const own = await ok('GET', `/reports/sales?period=week&date=${day(2)}&ownerId=u-wang`, t.li);
    expect(own.rows.map((r: Any) => r.ownerId)).toEqual(['u-li']);

    const sources = await ok('GET', `/reports/lead-sources?from=${day(0)}&to=${day(30)}`, t.manager);
    const row = (source: string, grade: string) =>
      sources.items.find((i: Any) => i.source === source && i.grade === grade);
    expect(row('walk-in', 'H')).toMatchObject({ leads: 1, won: 0, lost: 0, winRate: 0 });
    expect(row('phone', 'A')).toMatchObject({ leads: 1, won: 1, winRate: 1 });
    expect(row('web', 'H')).toMatchObject({ leads: 1, lost: 1, winRate: 0 });
    expect(row('web', 'B')).toMatchObject({ leads: 1, won: 0 });
  });
});
