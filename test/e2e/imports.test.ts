import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { apiClient } from '../support/client.ts';

let runtime: LocalRuntime;
let api: ReturnType<typeof apiClient>;
let admin: string;

const DAY_MS = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY_MS).toISOString();

const members = [
  'externalId,name,phone,consent.sms,interests,tags',
  'M001,Li Lei,+8613800138001,true,table-tennis,vip|club',
  'M002,Han Meimei,+8613800138002,true,swimming,',
  'M003,Wang Fang,+8613800138003,false,,',
  'M004,Bad Phone,12,true,,',
].join('\n');

/** The way a new user imports: ask for an upload URL, PUT the file there, then follow the job. */
const importCsv = async (kind: 'customers' | 'purchases', csv: string) => {
  const created = await api.call('POST', '/imports', { token: admin, body: { kind, format: 'csv' } });
  expect(created.status).toBe(201);
  expect(created.body).toMatchObject({
    status: 'awaiting-upload',
    uploadUrl: expect.stringMatching(/^http/),
  });
  const upload = await fetch(created.body.uploadUrl, {
    method: 'PUT',
    headers: { 'content-type': 'text/csv' },
    body: csv,
  });
  expect(upload.status).toBe(200);
  await api.call('POST', '/_local/settle');
  return (await api.call('GET', `/imports/${created.body.id}`, { token: admin })).body;
};

beforeAll(async () => {
  runtime = await startLocalRuntime({
    port: 0,
    dynamoEndpoint: inject('dynamoEndpoint'),
    tableName: `crm-imports-${Date.now()}`,
    defaultTimezone: 'Asia/Shanghai',
  });
  api = apiClient(runtime.url);
  admin = await api.token('admin');
  await api.call('PUT', '/products/PADDLE', {
    token: admin,
    body: { name: 'Paddle', category: 'table-tennis', lifespanDays: 180, price: 399 },
  });
});
afterAll(() => runtime?.stop());

describe('importing members and receipts, then a renewal reminder with a backfill', () => {
  it('imports members, reports the bad row, and changes nothing the second time', async () => {
    const first = await importCsv('customers', members);
    expect(first).toMatchObject({ status: 'done', total: 4, processed: 4, created: 3, failed: 1 });
    expect(first.errors).toEqual([{ row: 4, field: 'phone', message: expect.any(String) }]);
    const second = await importCsv('customers', members);
    expect(second).toMatchObject({ status: 'done', created: 0, updated: 0, unchanged: 3, failed: 1 });
    const list = await api.call('GET', '/customers?limit=50', { token: admin });
    expect(list.body.items.map((c: { externalId: string }) => c.externalId).sort()).toEqual([
      'M001',
      'M002',
      'M003',
    ]);
  });

  it('imports receipts, one row per item', async () => {
    const receipts = [
      'externalId,customerExternalId,phone,purchasedAt,sku,quantity,unitPrice,storeId',
      `R1,M001,,${daysAgo(170)},PADDLE,1,359,S1`,
      `R2,,+8613800138002,${daysAgo(400)},PADDLE,1,,S1`,
      `R3,M999,,${daysAgo(10)},PADDLE,1,,S1`,
    ].join('\n');
    const job = await importCsv('purchases', receipts);
    expect(job).toMatchObject({ status: 'done', total: 3, created: 2, failed: 1 });
    expect(job.errors).toEqual([{ row: 3, field: 'customerExternalId', message: 'no such customer' }]);
    expect((await importCsv('purchases', receipts)).unchanged).toBe(2);
  });

  it('activates with a backfill: only reminders still ahead are planned, and they are sent', async () => {
    const campaign = await api.call('POST', '/campaigns', {
      token: admin,
      body: {
        name: 'Paddle renewal',
        kind: 'lifecycle',
        channel: 'sms',
        trigger: { products: { skus: ['PADDLE'] }, timing: { beforeLifespanEndDays: 3 } },
        message: { body: '{{customer.name}}, time for a new {{product.name}}?' },
      },
    });
    expect(campaign.status).toBe(201);
    const activated = await api.call('POST', `/campaigns/${campaign.body.id}/activate`, {
      token: admin,
      body: { backfill: { purchasedSince: daysAgo(500) } },
    });
    // R1's reminder is a week ahead; R2's was due months ago and is not planned.
    expect(activated.status).toBe(200);
    expect(activated.body).toMatchObject({ status: 'active', backfilled: 1, backfillContinues: false });

    await api.call('POST', '/_local/clock', { body: { advanceDays: 10 } });
    const sent = (await api.call('GET', '/_local/outbox?channel=sms')).body.items;
    expect(sent.map((m: { to: string }) => m.to)).toEqual(['+8613800138001']);
    expect(sent[0].body).toContain('Li Lei, time for a new Paddle?');
  });

  it('rejects a bad activation body, a non-CSV upload and a non-admin importer', async () => {
    const bad = await api.call('POST', '/campaigns/01J0000000000000000000000/activate', {
      token: admin,
      body: { backfill: { purchasedSince: 'yesterday' } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toContain('backfill.purchasedSince');
    const created = await api.call('POST', '/imports', {
      token: admin,
      body: { kind: 'customers', format: 'csv' },
    });
    const wrongType = await fetch(created.body.uploadUrl, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(wrongType.status).toBe(415);
    const unknown = await fetch(
      created.body.uploadUrl.replace(created.body.id, '01JA0000000000000000000000'),
      {
        method: 'PUT',
        headers: { 'content-type': 'text/csv' },
        body: 'externalId,name\n',
      },
    );
    expect(unknown.status).toBe(404);
    const marketer = await api.token('marketer');
    expect(
      (await api.call('POST', '/imports', { token: marketer, body: { kind: 'customers', format: 'csv' } }))
        .status,
    ).toBe(403);
  });
});
