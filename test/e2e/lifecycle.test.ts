import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { apiClient } from '../support/client.ts';

let runtime: LocalRuntime;
let api: ReturnType<typeof apiClient>;
let admin: string;
let marketer: string;

const post = async (path: string, body: unknown, token = admin) => {
  const response = await api.call('POST', path, { token, ...(body === undefined ? {} : { body }) });
  if (response.status >= 300) throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
};
const get = async (path: string, token = admin) => (await api.call('GET', path, { token })).body;
const clock = async (body: unknown) => (await api.call('POST', '/_local/clock', { body })).body;
const outbox = async (to: string) =>
  (await api.call('GET', `/_local/outbox?to=${encodeURIComponent(to)}`)).body.items;

let surveyId: string;
let reminderId: string;

beforeAll(async () => {
  runtime = await startLocalRuntime({
    port: 0,
    dynamoEndpoint: inject('dynamoEndpoint'),
    tableName: `crm-lifecycle-${Date.now()}`,
    defaultTimezone: 'Asia/Shanghai',
  });
  api = apiClient(runtime.url);
  admin = await api.token('admin');
  marketer = await api.token('marketer', 'u-marketer');
  await api.call('PUT', '/products/PADDLE-PRO', {
    token: admin,
    body: {
      name: 'Pro paddle',
      category: 'table-tennis',
      lifespanDays: 180,
      careTips: 'Wipe the rubber after play.',
      price: 399,
    },
  });
  surveyId = (
    await post(
      '/campaigns',
      {
        name: 'Paddle survey',
        kind: 'lifecycle',
        channel: 'sms',
        survey: true,
        trigger: { products: { categories: ['table-tennis'] }, timing: { afterPurchaseDays: 7 } },
        sendAt: '10:00',
        message: {
          body: '{{customer.name}}, how is your {{product.name}}? Reply 1 satisfied, 2 unsatisfied.',
        },
      },
      marketer,
    )
  ).id;
  reminderId = (
    await post(
      '/campaigns',
      {
        name: 'Paddle end of life',
        kind: 'lifecycle',
        channel: 'email',
        trigger: { products: { skus: ['PADDLE-PRO'] }, timing: { beforeLifespanEndDays: 14 } },
        message: {
          subject: 'Time for a new {{product.name}}?',
          body: '{{product.careTips}}\n\n{{interestAdvice}}\n\n10% off your next paddle this month.',
          byInterest: {
            mountaineering: 'Climbers: check your rope and harness every season.',
            swimming: 'Swimmers: rinse goggles in fresh water.',
          },
        },
      },
      marketer,
    )
  ).id;
  await post(`/campaigns/${surveyId}/activate`, undefined, marketer);
  await post(`/campaigns/${reminderId}/activate`, undefined, marketer);
}, 60_000);
afterAll(() => runtime?.stop());

// Months of virtual time run every daily job on the way; on a loaded CI machine that can pass 30 s.
describe('a purchase drives its touchpoints', { timeout: 120_000 }, () => {
  it('sends exactly one SMS around day 7 and one email around day 166, and nothing more', async () => {
    const customer = await post('/customers', {
      name: 'Li Lei',
      email: 'li@example.com',
      phone: '+8613800138000',
      timezone: 'Asia/Shanghai',
      interests: ['table-tennis', 'mountaineering'],
      consent: { email: true, sms: true },
    });
    const now = new Date((await clock({ advanceHours: 0.001 })).now);
    await post('/purchases', {
      customerId: customer.id,
      purchasedAt: now.toISOString(),
      items: [{ sku: 'PADDLE-PRO', quantity: 1 }],
    });
    await api.call('POST', '/_local/settle');
    expect((await get(`/campaigns/${surveyId}/stats`, marketer)).scheduled).toBe(1);

    await clock({ advanceDays: 6 });
    expect(await outbox('+8613800138000')).toHaveLength(0);
    await clock({ advanceDays: 2 });
    const texts = await outbox('+8613800138000');
    expect(texts).toHaveLength(1);
    expect(texts[0].body).toBe('Li Lei, how is your Pro paddle? Reply 1 satisfied, 2 unsatisfied.');
    expect(texts[0].kind).toBe('transactional');
    // 10:00 in Shanghai is 02:00Z; Scheduler may fire up to 15 minutes into its flexible window.
    expect(texts[0].sentAt).toMatch(/T02:(0\d|1[0-4]):/);

    await clock({ advanceDays: 150 });
    expect(await outbox('li@example.com')).toHaveLength(0);
    await clock({ advanceDays: 10 });
    const mail = await outbox('li@example.com');
    expect(mail).toHaveLength(1);
    expect(mail[0].subject).toBe('Time for a new Pro paddle?');
    expect(mail[0].body).toContain('Wipe the rubber after play.');
    expect(mail[0].body).toContain('Climbers: check your rope');
    expect(mail[0].body).not.toContain('Swimmers');
    expect(mail[0].headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    expect(mail[0].headers['List-Unsubscribe']).toMatch(/^<http:\/\/127\.0\.0\.1:\d+\/unsubscribe\/.+>$/);

    await clock({ advanceDays: 60 });
    expect(await outbox('+8613800138000')).toHaveLength(1);
    expect(await outbox('li@example.com')).toHaveLength(1);
    expect(await get(`/campaigns/${surveyId}/stats`, marketer)).toMatchObject({
      scheduled: 1,
      sent: 1,
      suppressed: 0,
      surveys: 1,
    });
    expect(await get(`/campaigns/${reminderId}/stats`, marketer)).toMatchObject({
      scheduled: 1,
      sent: 1,
      suppressed: 0,
    });
    const messages = await get(`/messages?customerId=${customer.id}`, marketer);
    expect(
      messages.items.map((m: { status: string; channel: string }) => `${m.channel}:${m.status}`).sort(),
    ).toEqual(['email:sent', 'sms:sent']);
    const timeline = await get(`/customers/${customer.id}/timeline`);
    expect(timeline.items.map((e: { type: string }) => e.type)).toEqual(['message', 'message', 'purchase']);
  });

  it('records a suppressed message with a reason for a customer without consent, and for one who unsubscribed', async () => {
    const noConsent = await post('/customers', {
      name: 'Quiet',
      phone: '+8613800138001',
      email: 'quiet@example.com',
    });
    const unsubscribed = await post('/customers', {
      name: 'Gone',
      phone: '+8613800138002',
      email: 'gone@example.com',
      consent: { email: true, sms: true },
    });
    const now = (await clock({ advanceHours: 0.001 })).now;
    for (const c of [noConsent, unsubscribed]) {
      await post('/purchases', {
        customerId: c.id,
        purchasedAt: now,
        items: [{ sku: 'PADDLE-PRO', quantity: 1 }],
      });
    }
    await clock({ advanceDays: 8 });
    const [sms] = await outbox('+8613800138002');
    expect(sms).toBeDefined();
    // The survey SMS carries no link, so opt out through an email link the way a customer would.
    await clock({ advanceDays: 160 });
    const [mail] = await outbox('gone@example.com');
    const link = /<(.+)>/.exec(mail.headers['List-Unsubscribe'])?.[1] as string;
    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form method="post">');
    const done = await fetch(link, {
      method: 'POST',
      body: 'List-Unsubscribe=One-Click',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(done.status).toBe(200);
    expect(await outbox('+8613800138001')).toHaveLength(0);
    expect(await outbox('quiet@example.com')).toHaveLength(0);
    const quiet = await get(`/messages?customerId=${noConsent.id}`, marketer);
    expect(quiet.items.map((m: { reason: string }) => m.reason)).toEqual(['no-consent', 'no-consent']);
    // Tamper with the signed payload (the part before the dot), not the MAC's padding bits.
    const forged = await fetch(link.replace(/.(?=\.[^/]*$)/, (c) => (c === 'A' ? 'B' : 'A')));
    expect(forged.status).toBe(404);

    // Having unsubscribed, the next reminder is not sent but recorded as suppressed, with the reason.
    const later = (await clock({ advanceHours: 0.001 })).now;
    await post('/purchases', {
      customerId: unsubscribed.id,
      purchasedAt: later,
      items: [{ sku: 'PADDLE-PRO', quantity: 1 }],
    });
    await clock({ advanceDays: 170 });
    expect(await outbox('gone@example.com')).toHaveLength(1);
    const reasons = (await get(`/messages?customerId=${unsubscribed.id}`, marketer)).items.map(
      (m: { reason?: string }) => m.reason,
    );
    expect(reasons).toContain('opted-out');
  });

  it('suppresses what fires while the campaign is paused, and a deleted customer’s touchpoints never fire', async () => {
    const paused = await post('/customers', {
      name: 'Paused',
      phone: '+8613800138003',
      consent: { sms: true },
    });
    const deleted = await post('/customers', {
      name: 'Deleted',
      phone: '+8613800138004',
      consent: { sms: true },
    });
    const now = (await clock({ advanceHours: 0.001 })).now;
    for (const c of [paused, deleted]) {
      await post('/purchases', {
        customerId: c.id,
        purchasedAt: now,
        items: [{ sku: 'PADDLE-PRO', quantity: 1 }],
      });
    }
    await api.call('POST', '/_local/settle');
    expect((await api.call('DELETE', `/customers/${deleted.id}`, { token: admin })).status).toBe(204);
    await post(`/campaigns/${surveyId}/pause`, undefined, marketer);
    const before = await get(`/campaigns/${surveyId}/stats`, marketer);
    await clock({ advanceDays: 8 });
    expect(await outbox('+8613800138003')).toHaveLength(0);
    expect(await outbox('+8613800138004')).toHaveLength(0);
    const messages = await get(`/messages?customerId=${paused.id}`, marketer);
    expect(messages.items[0]).toMatchObject({ status: 'suppressed', reason: 'campaign-not-active' });
    const after = await get(`/campaigns/${surveyId}/stats`, marketer);
    expect(after.suppressed - before.suppressed).toBe(1);
    expect(after.sent).toBe(before.sent);
    await post(`/campaigns/${surveyId}/activate`, undefined, marketer);
  });
});

describe('campaign validation', () => {
  it('names the field: survey needs sms, template must compile, cron must be valid, at not in the past', async () => {
    const bad = async (body: Record<string, unknown>) =>
      (await api.call('POST', '/campaigns', { token: marketer, body })).body.errors?.map(
        (e: { path: string }) => e.path,
      );
    expect(
      await bad({
        name: 'x',
        kind: 'lifecycle',
        channel: 'email',
        survey: true,
        trigger: { timing: { afterPurchaseDays: 7 } },
        message: { subject: 's', body: 'b' },
      }),
    ).toEqual(['survey']);
    expect(
      await bad({
        name: 'x',
        kind: 'lifecycle',
        channel: 'sms',
        trigger: { timing: { afterPurchaseDays: 7 } },
        message: { body: 'Hi {{#if}}' },
      }),
    ).toEqual(['message.body']);
    expect(
      await bad({
        name: 'x',
        kind: 'broadcast',
        channel: 'sms',
        schedule: { cron: '0 10 * * MON *', timezone: 'Asia/Shanghai' },
        message: { body: 'b' },
      }),
    ).toEqual(['schedule.cron']);
    expect(
      await bad({
        name: 'x',
        kind: 'broadcast',
        channel: 'sms',
        schedule: { at: '2020-01-01T10:00:00Z' },
        message: { body: 'b' },
      }),
    ).toEqual(['schedule.at']);
    expect((await api.call('POST', '/campaigns', { token: await api.token('sales'), body: {} })).status).toBe(
      403,
    );
  });
});

describe('broadcasts', { timeout: 120_000 }, () => {
  const nextShanghaiTen = (now: string) => {
    const day = new Date(Date.parse(now) + 86_400_000).toISOString().slice(0, 10);
    return `${day}T02:00:00.000Z`;
  };

  it('sends an at() broadcast once to the audience only, through the queue', async () => {
    const inBeijing = [];
    for (let i = 0; i < 3; i++) {
      inBeijing.push(
        await post('/customers', {
          name: `BJ ${i}`,
          region: 'Beijing',
          phone: `+861380013810${i}`,
          consent: { sms: true },
        }),
      );
    }
    await post('/customers', {
      name: 'SH',
      region: 'Shanghai',
      phone: '+8613800138199',
      consent: { sms: true },
    });
    const now = (await clock({ advanceHours: 0.001 })).now;
    const at = nextShanghaiTen(now);
    const broadcast = await post(
      '/campaigns',
      {
        name: 'Beijing club night',
        kind: 'broadcast',
        channel: 'sms',
        schedule: { at },
        audience: { region: ['Beijing'] },
        message: { body: 'Club night on Friday, {{customer.name}}!' },
      },
      marketer,
    );
    await post(`/campaigns/${broadcast.id}/activate`, undefined, marketer);
    const fired = (await clock({ to: new Date(Date.parse(at) + 3_600_000).toISOString() })).fired;
    expect(fired).toContain(`bc-${broadcast.id}`);
    for (const c of inBeijing) {
      expect((await outbox(c.phone)).map((m: { body: string }) => m.body)).toEqual([
        // Marketing SMS ends with the opt-out instruction (these customers have no locale: English).
        `Club night on Friday, ${c.name}! Reply STOP to opt out`,
      ]);
    }
    expect(await outbox('+8613800138199')).toHaveLength(0);
    expect(await get(`/campaigns/${broadcast.id}/stats`, marketer)).toMatchObject({ sent: 3, failed: 0 });
    await clock({ advanceDays: 30 });
    expect(await get(`/campaigns/${broadcast.id}/stats`, marketer)).toMatchObject({ sent: 3 });
  });

  it('fires a cron() broadcast every week in the campaign zone, once per occurrence', async () => {
    const member = await post('/customers', {
      name: 'Weekly',
      region: 'Hangzhou',
      phone: '+8613800138200',
      consent: { sms: true },
    });
    const broadcast = await post(
      '/campaigns',
      {
        name: 'Monday tips',
        kind: 'broadcast',
        channel: 'sms',
        schedule: { cron: '0 10 ? * MON *', timezone: 'Asia/Shanghai' },
        audience: { region: ['Hangzhou'] },
        message: { body: 'Monday tip for {{customer.name}}' },
      },
      marketer,
    );
    await post(`/campaigns/${broadcast.id}/activate`, undefined, marketer);
    await clock({ advanceDays: 21 });
    const texts = await outbox(member.phone);
    expect(texts).toHaveLength(3);
    for (const text of texts) {
      expect(new Date(text.sentAt).getUTCDay()).toBe(1);
      expect(text.sentAt).toMatch(/T02:(0\d|1[0-4]):/);
    }
    await post(`/campaigns/${broadcast.id}/pause`, undefined, marketer);
    await clock({ advanceDays: 14 });
    expect(await outbox(member.phone)).toHaveLength(3);
  });
});

describe('the request paths exercised above', () => {
  it('never scanned the table', () => {
    const counts = runtime.system.dynamoUsage.counts;
    expect(counts.get('Query') ?? 0).toBeGreaterThan(0);
    expect(counts.get('Scan') ?? 0).toBe(0);
  });
});
