import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { apiClient } from '../support/client.ts';

/**
 * The repeat-purchase report as an outside client reads it: a lifecycle SMS campaign reminds some
 * customers, others are held out (written through the message ledger, as the holdout decision in
 * delivery will), everyone buys across two months, and after settling the report equals the test's
 * own count from what it did. The store is in Shanghai.
 */
const SHANGHAI_MS = 8 * 3_600_000;
let runtime: LocalRuntime;
let api: ReturnType<typeof apiClient>;
const t = {} as Record<'admin' | 'marketer' | 'manager' | 'sales' | 'service', string>;

// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field
type Any = any;
const ok = async (method: string, path: string, body?: unknown, token = t.admin): Promise<Any> => {
  const response = await api.call(method, path, { token, ...(body === undefined ? {} : { body }) });
  if (response.status >= 300)
    throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
};
const clock = async (body: unknown): Promise<{ now: string }> =>
  (await api.call('POST', '/_local/clock', { body })).body;
const settle = () => api.call('POST', '/_local/settle');
const shanghaiMonth = (iso: string) => new Date(Date.parse(iso) + SHANGHAI_MS).toISOString().slice(0, 7);
const nextMonth = (month: string) => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
};
const utc = (local: string) => new Date(`${local}+08:00`).toISOString();

/** What the test did: every purchase, and when each customer was reminded or held out. */
const purchases: { customer: string; at: string }[] = [];
const marks: Record<string, { remindedAt?: string; heldOutAt?: string }> = {};
const ids: Record<string, string> = {};
let campaignId = '';
let monthA = '';
let monthB = '';

const buy = async (customer: string, at: string, sku = 'NET') => {
  await ok('POST', '/purchases', {
    customerId: ids[customer],
    purchasedAt: at,
    items: [{ sku, quantity: 1 }],
  });
  purchases.push({ customer, at: new Date(at).toISOString() });
};

/** The report's definitions, applied to the test's own ledger. */
const expected = (month: string, group: 'reminded' | 'heldOut') => {
  const groupAt = (customer: string, at: string) => {
    const m = marks[customer] ?? {};
    if (m.remindedAt && m.remindedAt <= at) return 'reminded';
    if (m.heldOutAt && m.heldOutAt <= at) return 'heldOut';
    return undefined;
  };
  const inMonth = purchases.filter(
    (p) => shanghaiMonth(p.at) === month && groupAt(p.customer, p.at) === group,
  );
  const buyers = new Set(inMonth.map((p) => p.customer));
  const repeat = new Set(
    inMonth
      .filter((p) => purchases.some((q) => q.customer === p.customer && q.at < p.at))
      .map((p) => p.customer),
  );
  return {
    buyers: buyers.size,
    repeatBuyers: repeat.size,
    repeatRate: buyers.size ? Math.round((repeat.size / buyers.size) * 10_000) / 10_000 : 0,
  };
};

beforeAll(async () => {
  runtime = await startLocalRuntime({
    port: 0,
    dynamoEndpoint: inject('dynamoEndpoint'),
    tableName: `crm-repeat-${Date.now()}`,
    defaultTimezone: 'Asia/Shanghai',
  });
  api = apiClient(runtime.url);
  t.admin = await api.token('admin', 'u-admin');
  t.marketer = await api.token('marketer', 'u-mkt');
  t.manager = await api.token('manager', 'u-mgr');
  t.sales = await api.token('sales', 'u-sales');
  t.service = await api.token('service', 'u-svc');
  for (const [sku, category] of [
    ['BALLS', 'table-tennis'],
    ['NET', 'accessories'],
  ] as const)
    await ok('PUT', `/products/${sku}`, { name: sku, category, price: 20 });
  campaignId = (
    await ok(
      'POST',
      '/campaigns',
      {
        name: 'Balls restock',
        kind: 'lifecycle',
        channel: 'sms',
        trigger: { products: { skus: ['BALLS'] }, timing: { afterPurchaseDays: 1 } },
        sendAt: '10:00',
        message: { body: '{{customer.name}}, time for new balls?' },
      },
      t.marketer,
    )
  ).id;
  await ok('POST', `/campaigns/${campaignId}/activate`, undefined, t.marketer);
  const names = ['r1', 'r2', 'r3', 'x', 'h1', 'h2', 'h3', 'h4', 'n1'];
  for (const [i, name] of names.entries())
    ids[name] = (
      await ok('POST', '/customers', {
        name,
        phone: `+861380013${String(8100 + i)}`,
        consent: { sms: true },
      })
    ).id;
  // Month A is next month in Shanghai, month B the one after.
  monthA = nextMonth(shanghaiMonth((await clock({ advanceHours: 0 })).now));
  monthB = nextMonth(monthA);
}, 120_000);
afterAll(() => runtime?.stop());

describe('repeat purchases of reminded and held-out customers', () => {
  it('keeps the report to admins and marketers and checks the range', async () => {
    const path = '/reports/repeat-purchases?from=2026-01-01&to=2026-03-31&interval=month';
    expect((await api.call('GET', path)).status).toBe(401);
    for (const role of ['sales', 'service', 'manager'] as const)
      expect((await api.call('GET', path, { token: t[role] })).status).toBe(403);
    for (const role of ['admin', 'marketer'] as const)
      expect((await api.call('GET', path, { token: t[role] })).status).toBe(200);
    const bad = async (query: string) => {
      const response = await api.call('GET', `/reports/repeat-purchases?${query}`, { token: t.marketer });
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      return response.body.errors.map((e: { path: string }) => e.path);
    };
    expect(await bad('from=2026-03-01&to=2026-02-28')).toEqual(['query.to']);
    expect(await bad('from=2023-01-01&to=2026-01-31')).toEqual(['query.from']);
    expect(await bad('from=2026-13-01')).toEqual(['query.from']);
    expect(await bad('interval=week')).toEqual(['query.interval']);
    expect(await bad('from=2026-01-01&store=1')).toEqual(['query.store']);
    // A range completed with today is checked too.
    expect(await bad('from=2099-01-01')).toEqual(['query.from']);
  });

  it('counts buyers and repeat buyers per Shanghai month, side by side, as the test counted them', async () => {
    // Day 2 of month A: the first purchases. Balls start the campaign's reminder a day later.
    const t0 = utc(`${monthA}-02T09:00:00`);
    await clock({ to: t0 });
    for (const name of ['r1', 'r2', 'r3', 'x']) await buy(name, t0, 'BALLS');
    for (const name of ['h1', 'h3', 'n1']) await buy(name, t0);
    await clock({ advanceDays: 2 });
    for (const name of ['r1', 'r2', 'r3', 'x']) {
      const sent = (await ok('GET', `/messages?customerId=${ids[name]}`, undefined, t.marketer)).items;
      expect(sent.map((m: Any) => m.status)).toEqual(['sent']);
      marks[name] = { remindedAt: sent[0].sentAt };
    }
    // Held out: recorded in the ledger at the would-be send time, as delivery records a holdout.
    const heldOutAt = (await clock({ advanceHours: 0 })).now;
    for (const name of ['h1', 'h2', 'h3', 'h4', 'x']) {
      const customerId = ids[name] as string;
      await runtime.system.deps.messages.decide({
        id: `holdout-${name}`,
        campaignId,
        customerId,
        channel: 'sms',
        status: 'holdout',
        sentAt: heldOutAt,
        attempts: 0,
        touchpointId: `holdout-tp-${name}`,
      });
      marks[name] = { ...marks[name], heldOutAt };
    }
    await settle();

    // Later purchases: month A, a purchase at 00:30 on the 1st of B in Shanghai (still A in UTC), month B.
    await buy('r1', utc(`${monthA}-10T12:00:00`));
    await buy('x', utc(`${monthA}-10T12:00:00`));
    await buy('h1', utc(`${monthA}-10T12:00:00`));
    await buy('n1', utc(`${monthA}-10T12:00:00`));
    await buy('h2', utc(`${monthA}-11T12:00:00`));
    await buy('r2', utc(`${monthB}-01T00:30:00`));
    await clock({ to: utc(`${monthB}-05T09:00:00`) });
    await buy('r1', utc(`${monthB}-05T08:00:00`));
    await buy('r2', utc(`${monthB}-05T08:00:00`));
    await buy('h2', utc(`${monthB}-05T08:00:00`));
    await buy('h3', utc(`${monthB}-05T08:30:00`));
    await buy('h4', utc(`${monthB}-05T08:45:00`));
    await settle();

    const report = await ok(
      'GET',
      `/reports/repeat-purchases?from=${monthA}-01&to=${monthB}-28&interval=month`,
      undefined,
      t.marketer,
    );
    expect(report).toMatchObject({
      interval: 'month',
      from: `${monthA}-01`,
      to: `${monthB}-28`,
      timezone: 'Asia/Shanghai',
    });
    expect(report.items).toMatchObject(
      [monthA, monthB].map((month) => ({
        start: `${month}-01`,
        reminded: expected(month, 'reminded'),
        heldOut: expected(month, 'heldOut'),
      })),
    );
    // The scenario is not trivial: both groups bought in both months, and not every buyer repeated.
    expect(report.items.map((i: Any) => [i.reminded.buyers, i.heldOut.buyers])).toEqual([
      [2, 2],
      [2, 3],
    ]);
    expect(report.items[1].heldOut.repeatRate).toBe(0.6667);
    for (const item of report.items) {
      expect(item.uplift).toBeCloseTo(item.reminded.repeatRate - item.heldOut.repeatRate, 4);
      for (const side of [item.reminded, item.heldOut]) {
        // Groups this small say little: the interval around each rate is wide.
        expect(side.repeatRateInterval.low).toBeLessThanOrEqual(side.repeatRate);
        expect(side.repeatRateInterval.high).toBeGreaterThanOrEqual(side.repeatRate);
        expect(side.repeatRateInterval.high - side.repeatRateInterval.low).toBeGreaterThan(0.3);
      }
    }

    // Nothing changes on a second settle or a read through another role.
    await settle();
    expect(
      (
        await ok(
          'GET',
          `/reports/repeat-purchases?from=${monthA}-01&to=${monthB}-28&interval=month`,
          undefined,
          t.admin,
        )
      ).items,
    ).toEqual(report.items);
  });

  it('never scanned the table', () => {
    const counts = runtime.system.dynamoUsage.counts;
    expect(counts.get('Query') ?? 0).toBeGreaterThan(0);
    expect(counts.get('Scan') ?? 0).toBe(0);
  });
});
