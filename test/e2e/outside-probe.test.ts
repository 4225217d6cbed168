import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { apiClient } from '../support/client.ts';

/**
 * The outside tester's probes of issues 10 and 13, repeated over HTTP against the local runtime
 * (the same stack `npm start` runs): leads after a change of owner and after erasure, and CSV
 * files with a broken quote, a repeated member number and a NUL.
 */
let runtime: LocalRuntime;
let api: ReturnType<typeof apiClient>;
const t = {} as Record<'admin' | 'a' | 'b', string>;
// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field
type Any = any;

const call = (method: string, path: string, token: string, body?: unknown) =>
  api.call(method, path, { token, ...(body === undefined ? {} : { body }) });
const settle = () => api.call('POST', '/_local/settle');
const contact = { type: 'call', at: '2026-11-23T10:00:00+08:00', outcome: 'reached' };

const importCsv = async (kind: 'customers' | 'purchases', csv: string): Promise<Any> => {
  const created = await call('POST', '/imports', t.admin, { kind, format: 'csv' });
  expect(created.status).toBe(201);
  const upload = await fetch(created.body.uploadUrl, {
    method: 'PUT',
    headers: { 'content-type': 'text/csv' },
    body: csv,
  });
  expect(upload.status).toBe(200);
  await settle();
  return (await call('GET', `/imports/${created.body.id}`, t.admin)).body;
};

beforeAll(async () => {
  runtime = await startLocalRuntime({
    port: 0,
    dynamoEndpoint: inject('dynamoEndpoint'),
    tableName: `crm-probe-${Date.now()}`,
    defaultTimezone: 'Asia/Shanghai',
  });
  api = apiClient(runtime.url);
  t.admin = await api.token('admin', 'u-admin');
  t.a = await api.token('sales', 'u-a');
  t.b = await api.token('sales', 'u-b');
}, 60_000);
afterAll(() => runtime?.stop());

describe('leads after the customer changes hands or is erased (issue 10)', () => {
  let lead: Any;

  beforeAll(async () => {
    const created = await call('POST', '/leads', t.a, {
      customer: { name: 'Probe Customer', phone: '+8613944400001' },
      source: 'walk-in',
      interest: 'SUV for the twins',
      grade: 'H',
      note: 'lives at 5 Main St',
      companions: [{ relation: 'wife Li Hua', note: 'decides' }],
    });
    expect(created.status).toBe(201);
    lead = created.body;
  });

  it('moving the customer from A to B moves the lead and its callback', async () => {
    const moved = await call('PATCH', `/customers/${lead.customerId}`, t.admin, { ownerId: 'u-b' });
    expect(moved.status).toBe(200);
    expect((await call('GET', `/leads/${lead.id}`, t.a)).status).toBe(404);
    expect((await call('POST', `/leads/${lead.id}/activities`, t.a, contact)).status).toBe(404);
    const read = await call('GET', `/leads/${lead.id}`, t.b);
    expect(read.status).toBe(200);
    expect((await call('GET', `/leads/${lead.id}/activities`, t.b)).status).toBe(200);
    const tasks = await call('GET', `/tasks?customerId=${lead.customerId}`, t.b);
    const callback = tasks.body.items.find((task: Any) => task.id === read.body.callbackTaskId);
    expect(callback).toMatchObject({ status: 'open', assigneeId: 'u-b' });
  });

  it('deleting the customer erases and closes the lead', async () => {
    expect((await call('DELETE', `/customers/${lead.customerId}`, t.admin)).status).toBe(204);
    await settle();
    const read = await call('GET', `/leads/${lead.id}`, t.admin);
    expect(read.status).toBe(200);
    for (const text of ['twins', 'Main St', 'Li Hua', 'decides'])
      expect(JSON.stringify(read.body)).not.toContain(text);
    expect(read.body).toMatchObject({ status: 'lost', lostReason: 'customer erased', companions: [] });
    expect((await call('POST', `/leads/${lead.id}/win`, t.b, { amount: 100 })).status).toBe(409);
    expect((await call('POST', `/leads/${lead.id}/activities`, t.b, contact)).status).toBe(409);
    const tasks = await call('GET', `/tasks?assigneeId=u-b&status=open`, t.admin);
    expect(tasks.body.items.filter((task: Any) => task.leadId === lead.id)).toEqual([]);
  });
});

describe('CSV rows that broke imports (issue 13)', () => {
  it('an unterminated quote fails its row, not the file', async () => {
    const job = await importCsv(
      'customers',
      'externalId,name,phone\nQ1,Good One,+8613977700001\nQ2,Good Two,+8613977700002\n"Q3,Broken quote,+8613977700003\n',
    );
    expect(job).toMatchObject({ status: 'done', total: 3, created: 2, failed: 1 });
    expect(job.errors).toEqual([{ row: 3, field: '(row)', message: 'has a quote that is never closed' }]);
  });

  it('a member number twice: the later row fails, and the file settles', async () => {
    const csv = 'externalId,name,phone\nD1,First Name,+8613966600001\nD1,Second Name,+8613966600001\n';
    const first = await importCsv('customers', csv);
    expect(first).toMatchObject({ created: 1, failed: 1 });
    expect(first.errors).toEqual([{ row: 2, field: 'externalId', message: 'repeats row 1' }]);
    for (let run = 0; run < 2; run++)
      expect(await importCsv('customers', csv)).toMatchObject({ updated: 0, unchanged: 1, failed: 1 });
  });

  it('a NUL in a cell fails its row on that column', async () => {
    await call('PUT', '/products/BALLS', t.admin, { name: 'Balls', category: 'table-tennis', price: 20 });
    const job = await importCsv(
      'purchases',
      'externalId,customerExternalId,purchasedAt,sku,quantity,storeId\nP1,Q1,2026-07-01T10:00:00+08:00,BALLS,1,bj\u000001\n',
    );
    expect(job).toMatchObject({ created: 0, failed: 1 });
    expect(job.errors).toEqual([{ row: 1, field: 'storeId', message: 'must not contain NUL characters' }]);
  });
});
