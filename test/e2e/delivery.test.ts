import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { apiClient } from '../support/client.ts';

/**
 * Delivery under AWS's real semantics, through `npm start`'s runtime and HTTP only (plus, where a
 * provider must fail, a fault injected into the local SMS stand-in): every defect of issue 9.
 */
let runtime: LocalRuntime;
let api: ReturnType<typeof apiClient>;
let admin: string;
let marketer: string;
let phones = 0;

const post = async (path: string, body: unknown, token = admin) => {
  const response = await api.call('POST', path, { token, ...(body === undefined ? {} : { body }) });
  if (response.status >= 300) throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
};
const get = async (path: string, token = admin) => (await api.call('GET', path, { token })).body;
const clock = async (body: unknown) => (await api.call('POST', '/_local/clock', { body })).body;
const now = async () => new Date((await api.call('GET', '/_local/clock')).body.now);
const outbox = async (to: string) =>
  (await api.call('GET', `/_local/outbox?to=${encodeURIComponent(to)}`)).body.items;
const messagesOf = async (customerId: string) =>
  (await get(`/messages?customerId=${customerId}`, marketer)).items as {
    id: string;
    status: string;
    reason?: string;
    deferredUntil?: string;
    skus?: string[];
  }[];

const customer = async (fields: Record<string, unknown> = {}) =>
  post('/customers', {
    name: `Member ${++phones}`,
    phone: `+86139${String(phones).padStart(8, '0')}`,
    email: `member${phones}@example.com`,
    timezone: 'Asia/Shanghai',
    consent: { sms: true, email: true },
    ...fields,
  });

const campaign = async (body: Record<string, unknown>) => {
  const created = await post('/campaigns', body, marketer);
  await post(`/campaigns/${created.id}/activate`, undefined, marketer);
  return created;
};

/** The next instant at local hh:mm in Shanghai (UTC+8, no DST), at least an hour from `from`. */
const nextShanghai = (from: Date, hh: number, mm = 0) => {
  const candidate = new Date(from);
  candidate.setUTCHours(hh - 8, mm, 0, 0);
  while (candidate.getTime() < from.getTime() + 3_600_000) candidate.setUTCDate(candidate.getUTCDate() + 1);
  return candidate;
};

beforeAll(async () => {
  runtime = await startLocalRuntime({
    port: 0,
    dynamoEndpoint: inject('dynamoEndpoint'),
    tableName: `crm-delivery-${Date.now()}`,
    defaultTimezone: 'Asia/Shanghai',
  });
  api = apiClient(runtime.url);
  admin = await api.token('admin');
  marketer = await api.token('marketer', 'u-marketer');
  for (const [sku, name] of [
    ['PADDLE-X', 'Paddle X'],
    ['RUBBER-X', 'Rubber X'],
  ]) {
    await api.call('PUT', `/products/${sku}`, {
      token: admin,
      body: { name, category: 'tt-basket', lifespanDays: 180, price: 99 },
    });
  }
}, 60_000);
afterAll(() => runtime?.stop());

describe('templates are checked for what they render (defect 10)', () => {
  const attempt = (message: Record<string, unknown>, channel = 'sms') =>
    api.call('POST', '/campaigns', {
      token: marketer,
      body: {
        name: 'Bad template',
        kind: 'lifecycle',
        channel,
        trigger: { timing: { afterPurchaseDays: 7 } },
        message,
      },
    });

  it('rejects unknown partials and helpers, the log helper, and output over the channel limit', async () => {
    for (const [message, path] of [
      [{ body: 'Hi {{> nosuchpartial}}' }, 'message.body'],
      [{ body: 'Hi {{shout customer.name}}' }, 'message.body'],
      [{ body: '{{log customer.name}} hello' }, 'message.body'],
      [{ body: `${'x'.repeat(1590)} {{customer.name}} and more` }, 'message.body'],
      [{ body: 'ok', byInterest: { running: '{{> missing}}' } }, 'message.byInterest.running'],
    ] as const) {
      const response = await attempt(message);
      expect(response.status, JSON.stringify(message).slice(0, 60)).toBe(400);
      expect(response.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    }
    const subject = await attempt({ subject: `{{customer.name}}${' long'.repeat(250)}`, body: 'b' }, 'email');
    expect(subject.status).toBe(400);
    expect(subject.body.errors.map((e: { path: string }) => e.path)).toContain('message.subject');
  });

  it('sends a subject on one line, and fails (never leaves pending) a message that renders too long at send time', async () => {
    const mail = await campaign({
      name: 'Line breaks',
      kind: 'broadcast',
      channel: 'email',
      schedule: { at: nextShanghai(await now(), 10).toISOString() },
      audience: { region: ['Subjects'] },
      message: { subject: 'Hello\r\n{{customer.name}}\nBcc: evil@example.com', body: 'Body' },
    });
    const member = await customer({ region: 'Subjects' });
    await clock({ to: new Date(Date.parse(mail.schedule.at) + 3_600_000).toISOString() });
    const [sent] = await outbox(member.email);
    expect(sent.subject).toBe(`Hello ${member.name} Bcc: evil@example.com`);

    // The sample customer's name is short; this one's is not, so only sending can tell.
    const long = await customer({ name: 'N'.repeat(200), region: 'Long names' });
    const sms = await campaign({
      name: 'Name repeated',
      kind: 'broadcast',
      channel: 'sms',
      schedule: { at: nextShanghai(await now(), 10).toISOString() },
      audience: { region: ['Long names'] },
      message: {
        body: '{{customer.name}} {{customer.name}} {{customer.name}} {{customer.name}} {{customer.name}} {{customer.name}} {{customer.name}} {{customer.name}} {{customer.name}}',
      },
    });
    await clock({ to: new Date(Date.parse(sms.schedule.at) + 3_600_000).toISOString() });
    const [message] = await messagesOf(long.id);
    expect(message).toMatchObject({ status: 'failed' });
    expect(message?.reason).toMatch(/1600/);
    expect(await outbox(long.phone)).toHaveLength(0);
  });
});

describe('provider errors are retried by Lambda on the virtual clock, and every message ends (defect 1)', () => {
  it('retries a failing SMS one and three minutes later, sends it once, and never shows a non-final status', async () => {
    const member = await customer({ region: 'Flaky' });
    const broadcast = await campaign({
      name: 'Flaky provider',
      kind: 'broadcast',
      channel: 'sms',
      schedule: { at: nextShanghai(await now(), 11).toISOString() },
      audience: { region: ['Flaky'] },
      message: { body: 'Hello {{customer.name}}' },
    });
    const sms = runtime.system.deps.sms;
    const realSend = sms.send;
    let failures = 0;
    sms.send = async (message) => {
      if (failures++ < 2) throw new Error('Throttling: rate exceeded');
      return realSend(message);
    };
    try {
      await clock({ to: new Date(Date.parse(broadcast.schedule.at) + 20 * 60_000).toISOString() });
      // The queue redelivers after its visibility timeout; each attempt fails until the third.
      await clock({ advanceHours: 1 });
    } finally {
      sms.send = realSend;
    }
    expect(failures).toBe(3);
    expect(await outbox(member.phone)).toHaveLength(1);
    expect(await messagesOf(member.id)).toEqual([expect.objectContaining({ status: 'sent', attempts: 3 })]);
  });

  it('a touchpoint whose sends keep failing ends failed after Lambda’s two retries, with the reason', async () => {
    const survey = await campaign({
      name: 'Always failing',
      kind: 'lifecycle',
      channel: 'sms',
      survey: true,
      trigger: { products: { skus: ['PADDLE-X'] }, timing: { afterPurchaseDays: 1 } },
      audience: { region: ['Broken'] },
      message: { body: 'How is it? Reply 1 or 2' },
    });
    const member = await customer({ region: 'Broken' });
    await post('/purchases', {
      customerId: member.id,
      purchasedAt: (await now()).toISOString(),
      items: [{ sku: 'PADDLE-X', quantity: 1 }],
    });
    await api.call('POST', '/_local/settle');
    const sms = runtime.system.deps.sms;
    const realSend = sms.send;
    sms.send = async () => {
      throw new Error('Service unavailable');
    };
    try {
      await clock({ advanceDays: 2 });
    } finally {
      sms.send = realSend;
    }
    const [message] = await messagesOf(member.id);
    expect(message).toMatchObject({ status: 'failed' });
    expect(message?.reason).toMatch(/Service unavailable/);
    expect((await get(`/campaigns/${survey.id}/stats`, marketer)).failed).toBe(1);
  });
});

describe('failures are never silent (defect 2): the on-failure destination', () => {
  it('an event target that keeps failing is retried twice on the virtual clock, then dead-lettered', async () => {
    const before = (await api.call('GET', '/_local/dead-letters')).body.items.length;
    const campaigns = runtime.system.deps.campaigns;
    const real = campaigns.activeLifecycle;
    campaigns.activeLifecycle = async () => {
      throw new Error('planning is broken');
    };
    try {
      const member = await customer();
      await post('/purchases', {
        customerId: member.id,
        purchasedAt: (await now()).toISOString(),
        items: [{ sku: 'PADDLE-X', quantity: 1 }],
      });
      await api.call('POST', '/_local/settle');
      // Retries wait for the clock, as Lambda's do: nothing is dead yet.
      expect((await api.call('GET', '/_local/dead-letters')).body.items).toHaveLength(before);
      // The first retry comes a minute later and fails too; the second waits two more minutes.
      await clock({ advanceHours: 0.02 });
      expect((await api.call('GET', '/_local/dead-letters')).body.items).toHaveLength(before);
      await clock({ advanceHours: 0.1 });
    } finally {
      campaigns.activeLifecycle = real;
    }
    const items = (await api.call('GET', '/_local/dead-letters')).body.items;
    expect(items).toHaveLength(before + 1);
    expect(items.at(-1)).toMatchObject({
      source: 'eventbridge',
      target: 'plan-touchpoints',
      reason: 'planning is broken',
      payload: expect.objectContaining({ 'detail-type': 'purchase.recorded' }),
    });
  });
});

describe('time limits defer, they never drop (defect 3)', () => {
  it('a 10:00 Shanghai broadcast reaches a New York customer at 09:00 New York time, once', async () => {
    const shanghai = await customer({ region: 'Global' });
    const newYork = await customer({ region: 'Global', timezone: 'America/New_York' });
    const at = nextShanghai(await now(), 10);
    const broadcast = await campaign({
      name: 'Global sale',
      kind: 'broadcast',
      channel: 'sms',
      schedule: { at: at.toISOString() },
      audience: { region: ['Global'] },
      message: { body: 'Sale today, {{customer.name}}' },
    });
    await clock({ to: new Date(at.getTime() + 3_600_000).toISOString() });
    expect(await outbox(shanghai.phone)).toHaveLength(1);
    expect(await outbox(newYork.phone)).toHaveLength(0);
    const [waiting] = await messagesOf(newYork.id);
    expect(waiting).toMatchObject({ status: 'deferred', reason: 'outside-send-window' });
    // The contract lists `to` and `body` on every message; not rendered yet, the body is empty.
    expect(waiting).toMatchObject({ to: newYork.phone, body: '' });
    // 21:00 in New York when it fired; the window opens at 09:00 there.
    const until = new Date(waiting?.deferredUntil as string);
    expect(
      new Intl.DateTimeFormat('en-US', {
        timeZone: 'America/New_York',
        hour: '2-digit',
        hourCycle: 'h23',
      }).format(until),
    ).toBe('09');
    await clock({ to: new Date(until.getTime() + 3_600_000).toISOString() });
    const texts = await outbox(newYork.phone);
    expect(texts).toHaveLength(1);
    expect(texts[0].sentAt >= (waiting?.deferredUntil as string)).toBe(true);
    expect(await messagesOf(newYork.id)).toEqual([expect.objectContaining({ status: 'sent' })]);
    expect((await get(`/campaigns/${broadcast.id}/stats`, marketer)).sent).toBe(2);
    await clock({ advanceDays: 3 });
    expect(await outbox(newYork.phone)).toHaveLength(1);
  });

  it('a second message on a capped day goes the next morning instead of never', async () => {
    const member = await customer({ region: 'Capped' });
    const at = nextShanghai(await now(), 10);
    const body = (n: number) => ({
      name: `Capped ${n}`,
      kind: 'broadcast',
      channel: 'sms',
      schedule: { at: new Date(at.getTime() + n * 3_600_000).toISOString() },
      audience: { region: ['Capped'] },
      message: { body: `Message ${n}` },
    });
    await campaign(body(0));
    await campaign(body(1));
    await clock({ to: new Date(at.getTime() + 3 * 3_600_000).toISOString() });
    // Marketing SMS end with the opt-out instruction in the customer's language.
    const bodies = async () => (await outbox(member.phone)).map((m: { body: string }) => m.body);
    expect(await bodies()).toEqual(['Message 0 Reply STOP to opt out']);
    const deferred = (await messagesOf(member.id)).find((m) => m.status === 'deferred');
    expect(deferred).toMatchObject({ reason: 'frequency-cap' });
    await clock({ advanceDays: 1 });
    expect(await bodies()).toEqual(['Message 0 Reply STOP to opt out', 'Message 1 Reply STOP to opt out']);
    expect((await messagesOf(member.id)).map((m) => m.status).sort()).toEqual(['sent', 'sent']);
  });
});

describe('a delivery the platform gives up on ends failed, never stays deferred', () => {
  /** Every claim fails as DynamoDB would under a long outage, so each attempt (and its retries) dies. */
  const withBrokenClaims = async (run: () => Promise<void>) => {
    const ledger = runtime.system.deps.messages;
    const real = ledger.claim;
    ledger.claim = async () => {
      throw Object.assign(new Error('Throughput exceeds the current capacity of your table'), {
        name: 'ProvisionedThroughputExceededException',
      });
    };
    try {
      await run();
    } finally {
      ledger.claim = real;
    }
  };

  it('a deferred broadcast recipient whose sends keep dying is closed failed by the abandoned-deliveries queue', async () => {
    const member = await customer({ region: 'Abandoned' });
    const at = nextShanghai(await now(), 10);
    for (const n of [0, 1]) {
      await campaign({
        name: `Abandoned ${n}`,
        kind: 'broadcast',
        channel: 'sms',
        schedule: { at: new Date(at.getTime() + n * 3_600_000).toISOString() },
        audience: { region: ['Abandoned'] },
        message: { body: `Message ${n}` },
      });
    }
    await clock({ to: new Date(at.getTime() + 3 * 3_600_000).toISOString() });
    const deferred = (await messagesOf(member.id)).find((m) => m.status === 'deferred');
    expect(deferred).toMatchObject({ reason: 'frequency-cap' });
    await withBrokenClaims(() => clock({ advanceDays: 1 }));
    const after = (await messagesOf(member.id)).find((m) => m.id === deferred?.id);
    expect(after).toMatchObject({ status: 'failed' });
    expect(after?.reason).toMatch(/delivery failed after retries/);
    expect(after?.deferredUntil).toBeUndefined();
    expect(await outbox(member.phone)).toHaveLength(1);
  });

  it('a deferred touchpoint whose last retry dies is closed failed from the on-failure destination', async () => {
    const region = 'AbandonedTouchpoint';
    const ids: string[] = [];
    for (const n of [0, 1]) {
      ids.push(
        (
          await campaign({
            name: `Reminder ${n}`,
            kind: 'lifecycle',
            channel: 'sms',
            trigger: { products: { skus: ['PADDLE-X'] }, timing: { afterPurchaseDays: 7 } },
            audience: { region: [region] },
            message: { body: `Reminder ${n}` },
          })
        ).id,
      );
    }
    const member = await customer({ region });
    const purchasedAt = await now();
    await post('/purchases', {
      customerId: member.id,
      purchasedAt: purchasedAt.toISOString(),
      items: [{ sku: 'PADDLE-X', quantity: 1 }],
    });
    // Both fire at 10:00 Shanghai (02:00Z) on the seventh day; the second is capped to the next morning.
    const firing = new Date(purchasedAt.getTime() + 8 * 3_600_000 + 7 * 86_400_000);
    firing.setUTCHours(2, 0, 0, 0);
    await clock({ to: new Date(firing.getTime() + 3 * 3_600_000).toISOString() });
    const deferred = (await messagesOf(member.id)).find((m) => m.status === 'deferred');
    expect(deferred).toMatchObject({ reason: 'frequency-cap' });
    await withBrokenClaims(() => clock({ advanceDays: 1 }));
    const after = (await messagesOf(member.id)).find((m) => m.id === deferred?.id);
    expect(after).toMatchObject({ status: 'failed' });
    expect(after?.reason).toMatch(/delivery failed after retries: Throughput exceeds/);
    const stats = await Promise.all(ids.map((id) => get(`/campaigns/${id}/stats`, marketer)));
    expect(stats.map((s) => s.failed).sort()).toEqual([0, 1]);
    // The failure still reached the place on-call looks.
    const letters = (await api.call('GET', '/_local/dead-letters')).body.items;
    expect(letters.some((l: { target: string }) => l.target === 'deliver-touchpoint')).toBe(true);
  });
});

describe('a basket gets one survey (defect 4)', () => {
  it('asks once about every matching item, and the answer carries every sku', async () => {
    const survey = await campaign({
      name: 'Basket survey',
      kind: 'lifecycle',
      channel: 'sms',
      survey: true,
      trigger: { products: { categories: ['tt-basket'] }, timing: { afterPurchaseDays: 7 } },
      audience: { region: ['Basket'] },
      message: { body: 'How are your new things, {{customer.name}}? Reply 1 satisfied, 2 unsatisfied.' },
    });
    const member = await customer({ region: 'Basket' });
    await post('/purchases', {
      customerId: member.id,
      purchasedAt: (await now()).toISOString(),
      items: [
        { sku: 'PADDLE-X', quantity: 1 },
        { sku: 'RUBBER-X', quantity: 2 },
      ],
    });
    await clock({ advanceDays: 8 });
    const texts = await outbox(member.phone);
    expect(texts).toHaveLength(1);
    const [message] = await messagesOf(member.id);
    expect(message).toMatchObject({ status: 'sent', skus: ['PADDLE-X', 'RUBBER-X'] });
    await post('/_local/sms/inbound', {
      originationNumber: member.phone,
      destinationNumber: '+12065550100',
      messageBody: '2',
      inboundMessageId: `in-basket-${member.id}`,
      previousPublishedMessageId: texts[0].providerMessageId,
    });
    const [answer] = (await get(`/satisfaction?campaignId=${survey.id}`, marketer)).items;
    expect(answer).toMatchObject({ score: 'unsatisfied', sku: 'PADDLE-X', skus: ['PADDLE-X', 'RUBBER-X'] });
    expect((await get(`/campaigns/${survey.id}/stats`, marketer)).sent).toBe(1);
  });
});

describe('edits reach pending work (defect 5)', () => {
  it('a paused broadcast whose schedule changes fires at the new time only', async () => {
    const member = await customer({ region: 'Moved' });
    const first = nextShanghai(await now(), 10);
    const broadcast = await campaign({
      name: 'Moved broadcast',
      kind: 'broadcast',
      channel: 'sms',
      schedule: { at: first.toISOString() },
      audience: { region: ['Moved'] },
      message: { body: 'Moved' },
    });
    await post(`/campaigns/${broadcast.id}/pause`, undefined, marketer);
    const second = new Date(first.getTime() + 2 * 86_400_000);
    const patched = await api.call('PATCH', `/campaigns/${broadcast.id}`, {
      token: marketer,
      body: { schedule: { at: second.toISOString() } },
    });
    expect(patched.status).toBe(200);
    await post(`/campaigns/${broadcast.id}/activate`, undefined, marketer);
    await clock({ to: new Date(first.getTime() + 3_600_000).toISOString() });
    expect(await outbox(member.phone)).toHaveLength(0);
    await clock({ to: new Date(second.getTime() + 3_600_000).toISOString() });
    const texts = await outbox(member.phone);
    expect(texts).toHaveLength(1);
    expect(Date.parse(texts[0].sentAt)).toBeGreaterThanOrEqual(second.getTime());
  });

  it("changing a lifecycle campaign's timing moves its pending touchpoints; deleting it cancels them", async () => {
    const reminder = await campaign({
      name: 'Moving reminder',
      kind: 'lifecycle',
      channel: 'sms',
      trigger: { products: { skus: ['RUBBER-X'] }, timing: { afterPurchaseDays: 10 } },
      audience: { region: ['Replanned'] },
      message: { body: 'Reminder for {{customer.name}}' },
    });
    const member = await customer({ region: 'Replanned' });
    const other = await customer({ region: 'Replanned' });
    const bought = await now();
    for (const c of [member, other]) {
      await post('/purchases', {
        customerId: c.id,
        purchasedAt: bought.toISOString(),
        items: [{ sku: 'RUBBER-X', quantity: 1 }],
      });
    }
    await api.call('POST', '/_local/settle');
    const patched = await api.call('PATCH', `/campaigns/${reminder.id}`, {
      token: marketer,
      body: { trigger: { products: { skus: ['RUBBER-X'] }, timing: { afterPurchaseDays: 3 } } },
    });
    expect(patched.status).toBe(200);
    await api.call('POST', '/_local/settle');
    await clock({ advanceDays: 4 });
    expect(await outbox(member.phone)).toHaveLength(1);
    expect(await outbox(other.phone)).toHaveLength(1);

    const doomed = await campaign({
      name: 'Doomed reminder',
      kind: 'lifecycle',
      channel: 'sms',
      trigger: { products: { skus: ['RUBBER-X'] }, timing: { afterPurchaseDays: 5 } },
      audience: { region: ['Doomed'] },
      message: { body: 'Never' },
    });
    const third = await customer({ region: 'Doomed' });
    await post('/purchases', {
      customerId: third.id,
      purchasedAt: (await now()).toISOString(),
      items: [{ sku: 'RUBBER-X', quantity: 1 }],
    });
    await api.call('POST', '/_local/settle');
    const schedules = async () =>
      (await api.call('GET', '/_local/schedules')).body.items.filter((s: { Target: { Input: string } }) =>
        s.Target.Input.includes(third.id),
      );
    expect((await schedules()).length).toBeGreaterThan(0);
    expect((await api.call('DELETE', `/campaigns/${doomed.id}`, { token: marketer })).status).toBe(204);
    await api.call('POST', '/_local/settle');
    expect(await schedules()).toHaveLength(0);
    await clock({ advanceDays: 7 });
    expect(await outbox(third.phone)).toHaveLength(0);
  });
});

describe('the local twin', () => {
  it('reads the clock without moving it, and takes an advance of 0', async () => {
    const before = (await api.call('GET', '/_local/clock')).body.now;
    expect(Date.parse(before)).not.toBeNaN();
    const advanced = await api.call('POST', '/_local/clock', { body: { advanceHours: 0 } });
    expect(advanced.status).toBe(200);
    expect(Date.parse(advanced.body.now)).toBeGreaterThanOrEqual(Date.parse(before));
  });
});
