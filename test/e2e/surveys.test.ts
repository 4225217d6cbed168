import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { apiClient } from '../support/client.ts';

let runtime: LocalRuntime;
let api: ReturnType<typeof apiClient>;
let admin: string;
let campaignId: string;
let counter = 0;

const post = async (path: string, body?: unknown) => {
  const response = await api.call('POST', path, { token: admin, ...(body === undefined ? {} : { body }) });
  if (response.status >= 300) throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
};
const get = async (path: string) => (await api.call('GET', path, { token: admin })).body;
const clock = async (body: unknown) => (await api.call('POST', '/_local/clock', { body })).body;
const outbox = async (to: string) =>
  (await api.call('GET', `/_local/outbox?to=${encodeURIComponent(to)}`)).body.items;
const reply = async (from: string, text: string, extra: Record<string, unknown> = {}) =>
  (
    await api.call('POST', '/_local/sms/inbound', {
      body: {
        originationNumber: from,
        destinationNumber: '+12065550100',
        messageBody: text,
        inboundMessageId: `in-${++counter}`,
        ...extra,
      },
    })
  ).body;

/** A customer who bought a paddle a week ago and has just been sent the survey SMS. */
const surveyed = async (phone: string, extra: Record<string, unknown> = {}) => {
  const customer = await post('/customers', {
    name: `Member ${phone.slice(-4)}`,
    phone,
    consent: { sms: true },
    ...extra,
  });
  const now = (await clock({ advanceHours: 0.001 })).now;
  await post('/purchases', {
    customerId: customer.id,
    purchasedAt: now,
    items: [{ sku: 'PADDLE-PRO', quantity: 1 }],
  });
  await clock({ advanceDays: 8 });
  const [sms] = await outbox(phone);
  expect(sms).toBeDefined();
  return { customer, sms };
};

beforeAll(async () => {
  runtime = await startLocalRuntime({
    port: 0,
    dynamoEndpoint: inject('dynamoEndpoint'),
    tableName: `crm-surveys-${Date.now()}`,
    defaultTimezone: 'Asia/Shanghai',
  });
  api = apiClient(runtime.url);
  admin = await api.token('admin');
  await api.call('PUT', '/products/PADDLE-PRO', {
    token: admin,
    body: { name: 'Pro paddle', category: 'table-tennis', lifespanDays: 180, price: 399 },
  });
  campaignId = (
    await post('/campaigns', {
      name: 'Paddle survey',
      kind: 'lifecycle',
      channel: 'sms',
      survey: true,
      trigger: { products: { skus: ['PADDLE-PRO'] }, timing: { afterPurchaseDays: 7 } },
      message: { body: 'How is your {{product.name}}?' },
    })
  ).id;
  await post(`/campaigns/${campaignId}/activate`);
  // How the assignee hears of a follow-up call: a rule on task.created (the owner's or queue's contact).
  await post('/automation-rules', {
    name: 'Tell service about follow-up calls',
    on: 'task.created',
    when: { type: ['follow-up-call'] },
    do: [
      {
        type: 'notify',
        channel: 'email',
        to: 'service-desk@example.com',
        subject: 'Follow-up call for {{customer.name}}',
        message:
          '{{entity.title}}: {{entity.reason}} (assigned to {{entity.assigneeId}}{{entity.queue}}, due {{entity.dueAt}})',
      },
    ],
  });
}, 60_000);
afterAll(() => runtime?.stop());

describe('the satisfaction loop, end to end', () => {
  it('purchase → survey SMS → "２ 球拍胶皮起泡了" → an unsatisfied record with the comment → an open follow-up call', async () => {
    const { customer, sms } = await surveyed('+8613900139001', { ownerId: 'u-sales-1' });
    expect(sms.body).toBe('How is your Pro paddle? Reply 1 if satisfied, 2 if unsatisfied.');
    const answer = await reply('+8613900139001', '２ 球拍胶皮起泡了', {
      previousPublishedMessageId: sms.providerMessageId,
    });
    expect(answer.outcome).toBe('scored');
    const records = await get(`/satisfaction?customerId=${customer.id}`);
    expect(records.items).toHaveLength(1);
    expect(records.items[0]).toMatchObject({
      score: 'unsatisfied',
      comment: '球拍胶皮起泡了',
      rawReply: '２ 球拍胶皮起泡了',
      sku: 'PADDLE-PRO',
      campaignId,
    });
    const tasks = await get(`/tasks?customerId=${customer.id}`);
    expect(tasks.items).toHaveLength(1);
    expect(tasks.items[0]).toMatchObject({
      type: 'follow-up-call',
      status: 'open',
      assigneeId: 'u-sales-1',
      satisfactionId: records.items[0].id,
    });

    await api.call('POST', '/_local/settle');
    const [notice] = await outbox('service-desk@example.com');
    expect(notice.body).toContain('Unsatisfied: "球拍胶皮起泡了"');
    expect(notice.body).toContain('assigned to u-sales-1');

    const service = await api.token('service', 'u-agent');
    const closed = await api.call('PATCH', `/tasks/${tasks.items[0].id}`, {
      token: service,
      body: { status: 'done', outcome: 'Sent a replacement rubber' },
    });
    expect(closed.status).toBe(200);
    const timeline = await get(`/customers/${customer.id}/timeline`);
    expect(timeline.items.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining(['satisfaction', 'task', 'message', 'purchase']),
    );
    expect(timeline.items.find((e: { type: string }) => e.type === 'task').data.outcome).toBe(
      'Sent a replacement rubber',
    );
  });

  it('goes to the service queue when the customer has no owner, and a satisfied reply opens no task', async () => {
    const { customer: unowned } = await surveyed('+8613900139002');
    await reply('+8613900139002', '不满意');
    expect((await get(`/tasks?customerId=${unowned.id}`)).items[0]).toMatchObject({ queue: 'service' });
    const { customer: happy } = await surveyed('+8613900139003');
    expect((await reply('+8613900139003', '1。')).outcome).toBe('scored');
    expect((await get(`/tasks?customerId=${happy.id}`)).items).toHaveLength(0);
  });

  it('ignores a redelivered inbound message, keeps a second answer as history, and STOP opts out with one confirmation', async () => {
    const { customer } = await surveyed('+8613900139004');
    const payload = {
      originationNumber: '+8613900139004',
      destinationNumber: '+12065550100',
      messageBody: '1',
      inboundMessageId: 'same-id',
    };
    expect((await api.call('POST', '/_local/sms/inbound', { body: payload })).body.outcome).toBe('scored');
    expect((await api.call('POST', '/_local/sms/inbound', { body: payload })).body.outcome).toBe('duplicate');
    expect((await reply('+8613900139004', '2 changed my mind')).outcome).toBe('already-answered');
    const records = await get(`/satisfaction?customerId=${customer.id}`);
    expect(records.items.map((r: { score: string }) => r.score)).toEqual(['satisfied']);

    expect((await reply('+8613900139004', 'STOP')).outcome).toBe('opted-out');
    const confirmations = (await outbox('+8613900139004')).filter((m: { body: string }) =>
      m.body.startsWith('You will get no more'),
    );
    expect(confirmations).toHaveLength(1);
  });

  it('asks once for clarification on an unclear answer, and counts replies from unknown numbers as unmatched', async () => {
    await surveyed('+8613900139005');
    expect((await reply('+8613900139005', '3')).outcome).toBe('unclear');
    expect((await reply('+8613900139005', '1 or 2')).outcome).toBe('unclear');
    const clarifications = (await outbox('+8613900139005')).filter((m: { body: string }) =>
      m.body.startsWith('Sorry'),
    );
    expect(clarifications).toHaveLength(1);
    expect((await reply('+8613900139005', '2')).outcome).toBe('scored');
    expect((await reply('+8613800000000', '1')).outcome).toBe('unmatched');
  });

  it('keeps a reply after the survey expired without scoring it', async () => {
    const { customer } = await surveyed('+8613900139006');
    await clock({ advanceDays: 8 });
    expect((await reply('+8613900139006', '1')).outcome).toBe('late');
    expect((await get(`/satisfaction?customerId=${customer.id}`)).items).toHaveLength(0);
  });

  it('summarises by sku and campaign from counters, and campaign stats agree', async () => {
    const bySku = (await get('/satisfaction/summary?groupBy=sku')).items.find(
      (r: { key: string }) => r.key === 'PADDLE-PRO',
    );
    const stats = await get(`/campaigns/${campaignId}/stats`);
    expect(bySku).toMatchObject({
      surveys: stats.surveys,
      replies: stats.replies,
      satisfied: stats.satisfied,
      unsatisfied: stats.unsatisfied,
    });
    expect(stats).toMatchObject({ surveys: 6, replies: 5, satisfied: 2, unsatisfied: 3 });
    expect(bySku.responseRate).toBeCloseTo(5 / 6, 4);
    expect(bySku.satisfactionRate).toBeCloseTo(2 / 5, 4);
    const byCampaign = await get('/satisfaction/summary?groupBy=campaign');
    expect(byCampaign.items.map((r: { key: string }) => r.key)).toEqual([campaignId]);
    expect(byCampaign.unmatchedReplies).toBe(1);
    expect((await api.call('GET', '/satisfaction', { token: admin })).status).toBe(400);
  });
});

describe('erasure', () => {
  it('leaves no personal data in messages, replies, surveys or tasks once a customer is deleted', async () => {
    const { customer } = await surveyed('+8613900139009');
    await reply('+8613900139009', '2 my neighbour Wang Fang broke it');
    expect((await api.call('DELETE', `/customers/${customer.id}`, { token: admin })).status).toBe(204);
    await api.call('POST', '/_local/settle');
    const messages = (await get(`/messages?customerId=${customer.id}`)).items;
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ status: 'sent', campaignId });
    expect(messages[0].to).toBe(''); // erased
    expect(messages[0].body).toBe('');
    const [record] = (await get(`/satisfaction?customerId=${customer.id}`)).items;
    expect(record).toMatchObject({ score: 'unsatisfied' });
    expect(record.comment).toBeUndefined();
    expect(record.rawReply).toBeUndefined();
    const [task] = (await get(`/tasks?customerId=${customer.id}`)).items;
    expect(task.title).not.toContain('Member');
    expect(JSON.stringify({ messages, record, task })).not.toContain('139009');
    // A later text from that number no longer finds the erased survey.
    expect((await reply('+8613900139009', '1')).outcome).toBe('unmatched');
  });
});

describe('the request paths exercised above', () => {
  it('never scanned the table', () => {
    const counts = runtime.system.dynamoUsage.counts;
    expect(counts.get('Query') ?? 0).toBeGreaterThan(0);
    expect(counts.get('Scan') ?? 0).toBe(0);
  });
});
