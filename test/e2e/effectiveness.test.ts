import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { localDate } from '../../shared/domain/zoned-time.ts';
import { apiClient } from '../support/client.ts';

let runtime: LocalRuntime;
let api: ReturnType<typeof apiClient>;
let admin: string;

const DAY_MS = 86_400_000;
const MEMBERS = 24;
/** Imports, a backfill and a month of the virtual clock take a while on a loaded machine. */
const SLOW_MS = 180_000;
const TZ = 'Asia/Shanghai';
const phoneOf = (i: number) => `+86138001390${String(i).padStart(2, '0')}`;

const now = async () => new Date((await api.call('GET', '/_local/clock')).body.now);
const clock = async (body: unknown) => (await api.call('POST', '/_local/clock', { body })).body;
const settle = () => api.call('POST', '/_local/settle');

const importCsv = async (kind: 'customers' | 'purchases', csv: string) => {
  const created = await api.call('POST', '/imports', { token: admin, body: { kind, format: 'csv' } });
  expect(created.status).toBe(201);
  const upload = await fetch(created.body.uploadUrl, {
    method: 'PUT',
    headers: { 'content-type': 'text/csv' },
    body: csv,
  });
  expect(upload.status).toBe(200);
  await settle();
  return (await api.call('GET', `/imports/${created.body.id}`, { token: admin })).body;
};

interface Msg {
  customerId: string;
  status: string;
  variant?: string;
  sentAt: string;
  body?: string;
  to?: string;
}
const messagesOf = async (campaignId: string) => {
  const items: Msg[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.call(
      'GET',
      `/messages?campaignId=${campaignId}&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      { token: admin },
    );
    items.push(...page.body.items);
    cursor = page.body.nextCursor;
  } while (cursor);
  return items;
};

beforeAll(async () => {
  runtime = await startLocalRuntime({
    port: 0,
    dynamoEndpoint: inject('dynamoEndpoint'),
    tableName: `crm-effect-${Date.now()}`,
    defaultTimezone: TZ,
  });
  api = apiClient(runtime.url);
  admin = await api.token('admin');
  for (const [sku, category, price] of [
    ['PADDLE', 'table-tennis', 399],
    ['BALL', 'table-tennis', 30],
    ['SOCK', 'apparel', 20],
  ] as const) {
    await api.call('PUT', `/products/${sku}`, {
      token: admin,
      body: { name: sku, category, price, ...(sku === 'PADDLE' ? { lifespanDays: 180 } : {}) },
    });
  }
});
afterAll(() => runtime?.stop());

describe('campaign effectiveness: holdout, variants, goal and the report', () => {
  let campaignId: string;

  it('rejects message and variants together, and names bad fields', async () => {
    const base = {
      name: 'x',
      kind: 'lifecycle',
      channel: 'sms',
      trigger: { products: { skus: ['PADDLE'] }, timing: { beforeLifespanEndDays: 3 } },
    };
    const both = await api.call('POST', '/campaigns', {
      token: admin,
      body: { ...base, message: { body: 'hi' }, variants: [] },
    });
    expect(both.status).toBe(400);
    expect(both.body.errors.map((e: { path: string }) => e.path)).toContain('variants');
    const badVariant = await api.call('POST', '/campaigns', {
      token: admin,
      body: {
        ...base,
        holdoutPercent: 60,
        variants: [
          { name: 'A', weight: 1, message: { body: 'a' } },
          { name: 'B', weight: 1, message: { body: '{{#each}}' } },
        ],
      },
    });
    expect(badVariant.status).toBe(400);
    expect(badVariant.body.errors.map((e: { path: string }) => e.path)).toContain('holdoutPercent');
    const badTemplate = await api.call('POST', '/campaigns', {
      token: admin,
      body: {
        ...base,
        variants: [
          { name: 'A', weight: 1, message: { body: 'a' } },
          { name: 'B', weight: 1, message: { body: '{{> nope}}' } },
        ],
      },
    });
    expect(badTemplate.status).toBe(400);
    expect(badTemplate.body.errors.map((e: { path: string }) => e.path)).toEqual(['variants.1.message.body']);

    // PATCH keeps the rules: variants beside a message is a 400; clearing the message switches.
    const draft = await api.call('POST', '/campaigns', {
      token: admin,
      body: { ...base, message: { body: 'hi' } },
    });
    expect(draft.body.holdoutPercent).toBe(0);
    const path = `/campaigns/${draft.body.id}`;
    const variants = [
      { name: 'A', weight: 1, message: { body: 'a' } },
      { name: 'B', weight: 2, message: { body: 'b' } },
    ];
    const beside = await api.call('PATCH', path, { token: admin, body: { variants } });
    expect(beside.status).toBe(400);
    expect(beside.body.errors.map((e: { path: string }) => e.path)).toEqual(['variants']);
    const badPatch = await api.call('PATCH', path, {
      token: admin,
      body: { message: null, variants: [variants[0], { ...variants[1], message: { body: '{{> nope}}' } }] },
    });
    expect(badPatch.status).toBe(400);
    expect(badPatch.body.errors.map((e: { path: string }) => e.path)).toEqual(['variants.1.message.body']);
    const switched = await api.call('PATCH', path, {
      token: admin,
      body: { message: null, variants, holdoutPercent: 10, goal: { purchase: {}, withinDays: 14 } },
    });
    expect(switched.status).toBe(200);
    expect(switched.body).toMatchObject({
      variants,
      holdoutPercent: 10,
      goal: { purchase: {}, withinDays: 14 },
    });
    expect(switched.body.message).toBeUndefined();
    const neither = await api.call('PATCH', path, { token: admin, body: { variants: null } });
    expect(neither.status).toBe(400);
    expect(neither.body.errors.map((e: { path: string }) => e.path)).toEqual(['message']);
  });

  it(
    'imports members and receipts, then activates the renewal reminder with a backfill',
    async () => {
      const members = [
        'externalId,name,phone,consent.sms',
        ...Array.from({ length: MEMBERS }, (_, i) => `M${i},Member ${i},${phoneOf(i)},true`),
      ].join('\n');
      expect(await importCsv('customers', members)).toMatchObject({ status: 'done', created: MEMBERS });
      const bought = new Date((await now()).getTime() - 170 * DAY_MS).toISOString();
      const receipts = [
        'externalId,customerExternalId,purchasedAt,sku,quantity',
        ...Array.from({ length: MEMBERS }, (_, i) => `R${i},M${i},${bought},PADDLE,1`),
      ].join('\n');
      expect(await importCsv('purchases', receipts)).toMatchObject({ status: 'done', created: MEMBERS });

      const campaign = await api.call('POST', '/campaigns', {
        token: admin,
        body: {
          name: 'Paddle renewal',
          kind: 'lifecycle',
          channel: 'sms',
          survey: true,
          trigger: { products: { skus: ['PADDLE'] }, timing: { beforeLifespanEndDays: 3 } },
          holdoutPercent: 50,
          goal: { purchase: { sameCategory: true }, withinDays: 30 },
          variants: [
            { name: 'care', weight: 1, message: { body: 'CARE {{customer.name}}: how is your paddle?' } },
            { name: 'offer', weight: 1, message: { body: 'OFFER {{customer.name}}: how is your paddle?' } },
          ],
        },
      });
      expect(campaign.status).toBe(201);
      expect(campaign.body).toMatchObject({ holdoutPercent: 50, goal: { withinDays: 30 } });
      campaignId = campaign.body.id;
      const activated = await api.call('POST', `/campaigns/${campaignId}/activate`, {
        token: admin,
        body: { backfill: { purchasedSince: new Date(Date.parse(bought) - DAY_MS).toISOString() } },
      });
      expect(activated.body).toMatchObject({ status: 'active', backfilled: MEMBERS });
    },
    SLOW_MS,
  );

  it(
    'sends each variant, holds out the control group, and reports every figure as counted',
    async () => {
      await clock({ advanceDays: 10 });
      await settle();
      const messages = await messagesOf(campaignId);
      expect(messages).toHaveLength(MEMBERS);
      const sent = messages.filter((m) => m.status === 'sent');
      const held = messages.filter((m) => m.status === 'holdout');
      expect(sent.length + held.length).toBe(MEMBERS);
      expect(sent.length).toBeGreaterThan(0);
      expect(held.length).toBeGreaterThan(0);
      // The variant is what was rendered; the control group got nothing at all.
      const outbox = (await api.call('GET', '/_local/outbox?channel=sms')).body.items as {
        to: string;
        body: string;
      }[];
      for (const m of sent) {
        const text = outbox.filter((o) => o.to === m.to);
        expect(text).toHaveLength(1);
        expect(text[0]?.body.startsWith(m.variant === 'care' ? 'CARE' : 'OFFER')).toBe(true);
      }
      for (const m of held) {
        expect(m.body).toBe(''); // nothing was rendered
        expect(outbox.filter((o) => o.to === m.to)).toHaveLength(0);
      }
      // Two sent customers reply (one satisfied, one not).
      const replied = sent.slice(0, 2);
      for (const [i, m] of replied.entries()) {
        await api.call('POST', '/_local/sms/inbound', {
          body: {
            originationNumber: m.to,
            destinationNumber: '+8610690000',
            messageBody: i === 0 ? '1' : '2',
            inboundMessageId: `effect-${i}`,
          },
        });
      }

      // A day later, purchases: every third customer buys balls (same category: converts), every
      // third + 1 buys socks (another category: does not), customer 0 buys balls twice.
      await clock({ advanceDays: 1 });
      const expected = {
        conversions: 0,
        holdoutConversions: 0,
        revenue: 0,
        byVariant: new Map<string, number>(),
      };
      const conversionDays = new Map<string, number>();
      const byCustomer = new Map(messages.map((m) => [m.customerId, m]));
      const ordered = [...byCustomer.keys()].sort();
      for (const [i, customerId] of ordered.entries()) {
        const sku = i % 3 === 0 ? 'BALL' : i % 3 === 1 ? 'SOCK' : undefined;
        if (!sku) continue;
        const at = await now();
        const times = i === 0 ? 2 : 1;
        for (let t = 0; t < times; t++) {
          const purchase = await api.call('POST', '/purchases', {
            token: admin,
            body: { customerId, purchasedAt: at.toISOString(), items: [{ sku, quantity: 2 }] },
          });
          expect(purchase.status).toBe(201);
        }
        if (sku !== 'BALL') continue;
        const m = byCustomer.get(customerId) as Msg;
        if (m.status === 'holdout') expected.holdoutConversions++;
        else {
          expected.conversions++;
          expected.revenue += 60;
          expected.byVariant.set(m.variant as string, (expected.byVariant.get(m.variant as string) ?? 0) + 1);
        }
        const day = localDate(at, TZ);
        conversionDays.set(day, (conversionDays.get(day) ?? 0) + 1);
      }
      await settle();
      // Past the goal's 30 days, a purchase converts no one.
      await clock({ advanceDays: 31 });
      const late = ordered[2] as string;
      await api.call('POST', '/purchases', {
        token: admin,
        body: {
          customerId: late,
          purchasedAt: (await now()).toISOString(),
          items: [{ sku: 'BALL', quantity: 1 }],
        },
      });
      await settle();

      const report = await api.call('GET', `/campaigns/${campaignId}/report?interval=day`, { token: admin });
      expect(report.status).toBe(200);
      const rate = (part: number, whole: number) =>
        whole ? Math.round((part / whole) * 10_000) / 10_000 : 0;
      const conversionRate = rate(expected.conversions, sent.length);
      const holdoutConversionRate = rate(expected.holdoutConversions, held.length);
      expect(report.body.totals).toMatchObject({
        sent: sent.length,
        holdout: held.length,
        conversions: expected.conversions,
        conversionRate,
        revenue: expected.revenue,
        holdoutConversions: expected.holdoutConversions,
        holdoutConversionRate,
        uplift: Math.round((conversionRate - holdoutConversionRate) * 10_000) / 10_000,
      });
      expect(report.body.confidence.enoughData).toBe(false);
      expect(report.body.variants).toEqual(
        ['care', 'offer'].map((name) => {
          const ofVariant = sent.filter((m) => m.variant === name);
          const conversions = expected.byVariant.get(name) ?? 0;
          const repliedHere = replied.filter((m) => m.variant === name);
          return {
            name,
            sent: ofVariant.length,
            conversions,
            conversionRate: rate(conversions, ofVariant.length),
            replies: repliedHere.length,
            satisfied: repliedHere.filter((m) => m === replied[0]).length,
          };
        }),
      );
      // The series: sends on the day they went, conversions on the day of the purchase.
      const series = new Map(
        (report.body.series as { start: string; sent: number; replies: number; conversions: number }[]).map(
          (s) => [s.start, s],
        ),
      );
      const sentDays = new Map<string, number>();
      for (const m of sent) {
        const day = localDate(new Date(m.sentAt), TZ);
        sentDays.set(day, (sentDays.get(day) ?? 0) + 1);
      }
      for (const [day, n] of sentDays) expect(series.get(day)?.sent).toBe(n);
      const seriesConversions = [...series.values()].reduce((sum, s) => sum + s.conversions, 0);
      expect(seriesConversions).toBe(expected.conversions);
      const seriesReplies = [...series.values()].reduce((sum, s) => sum + s.replies, 0);
      expect(seriesReplies).toBe(replied.length);

      const weekly = await api.call('GET', `/campaigns/${campaignId}/report?interval=week`, { token: admin });
      expect(weekly.body.series.reduce((sum: number, s: { sent: number }) => sum + s.sent, 0)).toBe(
        sent.length,
      );
    },
    SLOW_MS,
  );

  it('answers 400 for a bad interval, 404 for an unknown campaign, 403 for other roles', async () => {
    const bad = await api.call('GET', `/campaigns/${campaignId}/report?interval=month`, { token: admin });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(['query.interval']);
    const unknown = await api.call('GET', '/campaigns/01JA0000000000000000000000/report', { token: admin });
    expect(unknown.status).toBe(404);
    for (const role of ['sales', 'service'] as const) {
      const token = await api.token(role);
      expect((await api.call('GET', `/campaigns/${campaignId}/report`, { token })).status).toBe(403);
    }
    const marketer = await api.token('marketer');
    expect((await api.call('GET', `/campaigns/${campaignId}/report`, { token: marketer })).status).toBe(200);
  });
});
