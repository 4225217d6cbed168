import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { apiClient } from '../support/client.ts';

/**
 * An outside client, as a new user would: a deployment on the Alibaba Cloud provider, its own
 * corpus of replies (not the reader's table) sent through both inbound routes, and scores and
 * opt-outs checked through the API.
 */
let runtime: LocalRuntime;
let api: ReturnType<typeof apiClient>;
let admin: string;
let sequence = 9_000_000;
const PUSH_SECRET = 'e2e-push-secret-0123456789';
const campaigns: Record<string, string> = {};

const post = async (path: string, body?: unknown) => {
  const response = await api.call('POST', path, { token: admin, ...(body === undefined ? {} : { body }) });
  if (response.status >= 300) throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
};
const get = async (path: string) => (await api.call('GET', path, { token: admin })).body;

type Scale = 'binary' | 'csat5' | 'nps';
interface Case {
  text: string;
  scale: Scale;
  via: 'aws' | 'aliyun';
  score?: 'satisfied' | 'neutral' | 'unsatisfied';
  rating?: number;
  optOut?: boolean;
}
const SKU: Record<Scale, string> = { binary: 'E2E-PADDLE', csat5: 'E2E-SHOES', nps: 'E2E-BALLS' };

const corpus: Case[] = [
  { text: '1 店员服务很好', scale: 'binary', via: 'aws', score: 'satisfied' },
  { text: '２，拍子太沉了', scale: 'binary', via: 'aws', score: 'unsatisfied' },
  { text: '挺满意的，谢谢', scale: 'binary', via: 'aliyun', score: 'satisfied' },
  { text: '不怎么满意', scale: 'binary', via: 'aliyun', score: 'unsatisfied' },
  { text: 'STOP', scale: 'binary', via: 'aws', optOut: true },
  { text: '2 stop sending these', scale: 'binary', via: 'aws', score: 'unsatisfied', optOut: true },
  {
    text: '2 the rubber came off at the end of the match',
    scale: 'binary',
    via: 'aws',
    score: 'unsatisfied',
  },
  { text: '好评好评👍', scale: 'binary', via: 'aliyun', score: 'satisfied' },
  { text: '质量一般，还行', scale: 'binary', via: 'aliyun', score: 'neutral' },
  { text: '1，别再发短信了', scale: 'binary', via: 'aliyun', score: 'satisfied', optOut: true },
  { text: '☹️ 不好用', scale: 'binary', via: 'aws', score: 'unsatisfied' },
  { text: "i'm not really happy with it", scale: 'binary', via: 'aws', score: 'unsatisfied' },
  { text: 'my kid loves it', scale: 'binary', via: 'aws', score: 'satisfied' },
  { text: '4', scale: 'csat5', via: 'aws', score: 'satisfied', rating: 4 },
  { text: '三分吧', scale: 'csat5', via: 'aliyun', score: 'neutral', rating: 3 },
  { text: '⑤ 很喜欢', scale: 'csat5', via: 'aws', score: 'satisfied', rating: 5 },
  { text: '不太满意，鞋底有点硬', scale: 'csat5', via: 'aliyun', score: 'unsatisfied', rating: 2 },
  { text: '2 退订', scale: 'csat5', via: 'aliyun', score: 'unsatisfied', rating: 2, optOut: true },
  { text: '非常满意！！', scale: 'csat5', via: 'aws', score: 'satisfied', rating: 5 },
  { text: '9', scale: 'nps', via: 'aws', score: 'satisfied', rating: 9 },
  { text: '7 ok', scale: 'nps', via: 'aws', score: 'neutral', rating: 7 },
  { text: '3 太贵了', scale: 'nps', via: 'aliyun', score: 'unsatisfied', rating: 3 },
  { text: '10分', scale: 'nps', via: 'aliyun', score: 'satisfied', rating: 10 },
  { text: 'TD', scale: 'nps', via: 'aliyun', optOut: true },
  { text: '5/10 so so', scale: 'nps', via: 'aws', score: 'unsatisfied', rating: 5 },
  { text: '12', scale: 'nps', via: 'aws' },
];
const phoneOf = (i: number) => `+86139${String(20_000_000 + i).padStart(8, '0')}`;
const customers: string[] = [];

const replyAws = (phone: string, text: string) =>
  api.call('POST', '/_local/sms/inbound', {
    body: {
      originationNumber: phone,
      destinationNumber: '+8610690000',
      messageBody: text,
      inboundMessageId: `e2e-${++sequence}`,
    },
  });
const pushAliyun = (phone: string, text: string, sequenceId = ++sequence) =>
  api.call('POST', '/_local/sms/inbound/aliyun', {
    body: [
      {
        phone_number: phone.replace(/^\+86/, ''),
        send_time: '2026-12-01 10:00:00',
        content: text,
        sign_name: '乒乓之家',
        dest_code: '2493559',
        sequence_id: sequenceId,
      },
    ],
  });

beforeAll(async () => {
  runtime = await startLocalRuntime({
    port: 0,
    dynamoEndpoint: inject('dynamoEndpoint'),
    tableName: `crm-replies-${Date.now()}`,
    defaultTimezone: 'Asia/Shanghai',
    defaultPhoneCountry: 'CN',
    sms: {
      provider: 'aliyun',
      signName: '乒乓之家',
      templates: { transactional: 'SMS_1001', promotional: 'SMS_1002' },
      pushSecret: PUSH_SECRET,
    },
  });
  api = apiClient(runtime.url);
  admin = await api.token('admin');
  for (const [scale, sku] of Object.entries(SKU)) {
    await api.call('PUT', `/products/${sku}`, {
      token: admin,
      body: { name: `Product ${sku}`, category: 'e2e', price: 10 },
    });
    campaigns[scale] = (
      await post('/campaigns', {
        name: `Survey ${scale}`,
        kind: 'lifecycle',
        channel: 'sms',
        survey: scale === 'binary' ? true : { scale },
        trigger: { products: { skus: [sku] }, timing: { afterPurchaseDays: 7 } },
        message: { body: '{{product.name}}用得怎么样？' },
      })
    ).id;
    await post(`/campaigns/${campaigns[scale]}/activate`);
  }
  const now = (await api.call('POST', '/_local/clock', { body: { advanceHours: 0.001 } })).body.now;
  for (const [i, c] of corpus.entries()) {
    const customer = await post('/customers', {
      name: `Member ${i}`,
      phone: phoneOf(i),
      locale: i % 2 ? 'zh-CN' : 'en-US',
      consent: { sms: true },
    });
    customers.push(customer.id);
    await post('/purchases', {
      customerId: customer.id,
      purchasedAt: now,
      items: [{ sku: SKU[c.scale], quantity: 1, unitPrice: 10 }],
    });
  }
  await api.call('POST', '/_local/clock', { body: { advanceDays: 8 } });
}, 240_000);
afterAll(() => runtime?.stop());

describe('replies as people write them, through both providers', () => {
  it('sends every survey through Alibaba Cloud with the sign name and the question in the customer language', async () => {
    const outbox = (await api.call('GET', '/_local/outbox?channel=sms')).body.items;
    const english = outbox.find((m: { to: string }) => m.to === phoneOf(0));
    const chinese = outbox.find((m: { to: string }) => m.to === phoneOf(1));
    expect(english.body).toBe(
      '【乒乓之家】Product E2E-PADDLE用得怎么样？ Reply 1 if satisfied, 2 if unsatisfied.',
    );
    expect(chinese.body).toBe('【乒乓之家】Product E2E-PADDLE用得怎么样？ 满意请回复1，不满意请回复2。');
    const csat = outbox.find(
      (m: { to: string }) => m.to === phoneOf(corpus.findIndex((c) => c.scale === 'csat5')),
    );
    expect(csat.body).toMatch(/1 to 5|1-5/);
  });

  it('scores each reply of the corpus as meant, and opts out exactly those that asked', async () => {
    const wrong: string[] = [];
    for (const [i, c] of corpus.entries()) {
      const response =
        c.via === 'aws' ? await replyAws(phoneOf(i), c.text) : await pushAliyun(phoneOf(i), c.text);
      expect(response.status, c.text).toBe(200);
      if (c.via === 'aliyun') expect(response.body).toEqual({ code: 0, msg: '接收成功' });
    }
    for (const [i, c] of corpus.entries()) {
      const records = (await get(`/satisfaction?customerId=${customers[i]}`)).items;
      const suppressed = (await get(`/suppressions?channel=sms&address=${encodeURIComponent(phoneOf(i))}`))
        .items;
      const got = {
        score: records[0]?.score,
        rating: records[0]?.rating,
        optOut: suppressed.length === 1,
      };
      const expected = { score: c.score, rating: c.rating, optOut: c.optOut ?? false };
      if (JSON.stringify(got) !== JSON.stringify(expected))
        wrong.push(`${c.text}: got ${JSON.stringify(got)}, expected ${JSON.stringify(expected)}`);
      if (records[0]) expect(records[0].rawReply).toBe(c.text);
    }
    expect(wrong).toEqual([]);
  });

  it('sums ratings: averageRating for csat5, averageRating and nps for nps, neutral counted', async () => {
    const rows = (await get('/satisfaction/summary?groupBy=campaign')).items;
    const csat = rows.find((r: { key: string }) => r.key === campaigns.csat5);
    expect(csat).toMatchObject({ replies: 6, satisfied: 3, neutral: 1, unsatisfied: 2, averageRating: 3.5 });
    const nps = rows.find((r: { key: string }) => r.key === campaigns.nps);
    // 9, 7, 3, 10, 5 rated: promoters 2, detractors 2.
    expect(nps).toMatchObject({ replies: 5, averageRating: 6.8, nps: 0 });
    const binary = rows.find((r: { key: string }) => r.key === campaigns.binary);
    expect(binary.averageRating).toBeUndefined();
  });

  it('opens a follow-up call for a detractor', async () => {
    const detractor = corpus.findIndex((c) => c.text === '3 太贵了');
    const tasks = (await get(`/tasks?customerId=${customers[detractor]}`)).items;
    expect(tasks).toHaveLength(1);
    expect(tasks[0].reason).toContain('(3/10)');
  });

  it('takes a redelivered Aliyun push once, and answers 404 to a wrong push secret', async () => {
    const i = corpus.findIndex((c) => c.text === '10分');
    const before = (await get('/satisfaction/summary?groupBy=campaign')).items;
    await pushAliyun(phoneOf(i), '10分', 777);
    await pushAliyun(phoneOf(i), '10分', 777);
    expect((await get('/satisfaction/summary?groupBy=campaign')).items).toEqual(before);
    const push = [{ phone_number: '13900000000', content: '1', sequence_id: 1 }];
    const wrong = await api.call('POST', '/sms/inbound/aliyun/not-the-secret', { body: push });
    expect(wrong.status).toBe(404);
    const right = await api.call('POST', `/sms/inbound/aliyun/${PUSH_SECRET}`, { body: push });
    expect(right.body).toEqual({ code: 0, msg: '接收成功' });
  });

  it('START lifts an SMS opt-out; the timeline shows both', async () => {
    const i = corpus.findIndex((c) => c.text === 'STOP');
    await replyAws(phoneOf(i), 'START');
    const listed = await get(`/suppressions?channel=sms&address=${encodeURIComponent(phoneOf(i))}`);
    expect(listed.items).toEqual([]);
    const types = (await get(`/customers/${customers[i]}/timeline`)).items.map(
      (e: { type: string }) => e.type,
    );
    expect(types).toEqual(expect.arrayContaining(['opted-out', 'opted-in']));
  });
});

describe('the suppression list', () => {
  it('lists, adds by hand, refuses a bad address and takes an entry off', async () => {
    const all = await get('/suppressions?channel=sms');
    expect(all.items.length).toBeGreaterThanOrEqual(4);
    expect(all.items[0]).toMatchObject({ channel: 'sms', reason: 'opt-out', source: expect.any(String) });

    const added = await api.call('POST', '/suppressions', {
      token: admin,
      body: { channel: 'email', address: ' Someone@Example.com ', reason: 'manual' },
    });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ channel: 'email', address: 'someone@example.com', reason: 'manual' });
    const again = await api.call('POST', '/suppressions', {
      token: admin,
      body: { channel: 'email', address: 'someone@example.com', reason: 'manual' },
    });
    expect(again.status).toBe(200);

    const marketer = await api.token('marketer');
    const forbidden = await api.call('POST', '/suppressions', {
      token: marketer,
      body: { channel: 'sms', address: '+8613900000001', reason: 'manual' },
    });
    expect(forbidden.status).toBe(403);
    expect((await api.call('GET', '/suppressions?channel=email', { token: marketer })).status).toBe(200);

    const bad = await api.call('POST', '/suppressions', {
      token: admin,
      body: { channel: 'sms', address: 'call me', reason: 'manual' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('address');

    const removed = await api.call('DELETE', '/suppressions/email/someone%40example.com', { token: admin });
    expect(removed.status).toBe(204);
    const gone = await api.call('DELETE', '/suppressions/email/someone%40example.com', { token: admin });
    expect(gone.status).toBe(404);
  });
});
