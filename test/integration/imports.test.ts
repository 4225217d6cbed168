import { beforeAll, describe, expect, it } from 'vitest';
import { CampaignInput } from '../../shared/domain/campaign.ts';
import { CustomerInput } from '../../shared/domain/customer.ts';
import { ConflictError } from '../../shared/domain/errors.ts';
import type { ImportKind } from '../../shared/domain/import.ts';
import type { CrmDependencies } from '../../shared/ports/dependencies.ts';
import { type BulkTask, uploadKey } from '../../shared/ports/imports.ts';
import { activateWithBackfill, backfillCampaign } from '../../shared/use-cases/backfill.ts';
import { createCampaign } from '../../shared/use-cases/campaigns.ts';
import { createCustomer } from '../../shared/use-cases/customers.ts';
import { createImport, getImport, runImportChunk, startImport } from '../../shared/use-cases/imports.ts';
import { putProduct } from '../../shared/use-cases/products.ts';
import { fixedClock, freshTable } from '../support/table.ts';

const admin = { sub: 'u-admin', roles: ['admin' as const] };
let deps: CrmDependencies;
let system: Awaited<ReturnType<typeof freshTable>>;
const clock = fixedClock('2026-11-22T02:00:00.000Z');

beforeAll(async () => {
  system = await freshTable(clock);
  deps = system.deps;
  await putProduct(
    deps,
    'PADDLE',
    { name: 'Paddle', category: 'table-tennis', price: 300, lifespanDays: 365 },
    undefined,
  );
  await putProduct(deps, 'BALLS', { name: 'Balls', category: 'table-tennis', price: 20 }, undefined);
});

/** Creates an import, "uploads" the file, and runs the bulk queue to the end, counting the chunks. */
const importFile = async (kind: ImportKind, csv: string, remainingMs = () => 0) => {
  const { id } = await createImport(deps, { kind, format: 'csv' });
  system.uploads.put(uploadKey(id, kind), Buffer.from(csv));
  await startImport(deps, uploadKey(id, kind));
  // The upload event arriving twice starts nothing more.
  expect(await startImport(deps, uploadKey(id, kind))).toEqual({ started: false });
  let chunks = 0;
  while (system.bulk.length > 0) {
    const task = system.bulk.shift() as Extract<BulkTask, { type: 'import-chunk' }>;
    await runImportChunk(deps, task.importId, task.from, remainingMs);
    chunks++;
  }
  return { job: await getImport(deps, id), chunks };
};

const member = (i: number, name = `Member ${i}`) =>
  `M${String(i).padStart(4, '0')},${name},+86138001${String(i).padStart(5, '0')},true,table-tennis|swimming`;
const customersCsv = (rows: string[]) => ['externalId,name,phone,consent.sms,interests', ...rows].join('\n');

describe('customer imports', () => {
  const rows = Array.from({ length: 60 }, (_, i) => member(i));
  const file = customersCsv([...rows.slice(0, 30), 'M9999,Bad,+8613800199999,maybe,', ...rows.slice(30)]);

  it('runs in chunks, each ending when its time runs low, and reports the bad row by row and field', async () => {
    // remainingMs 0: every chunk takes one batch of 25 rows and hands on the rest.
    const { job, chunks } = await importFile('customers', file);
    expect(chunks).toBe(3);
    expect(job).toMatchObject({
      status: 'done',
      total: 61,
      processed: 61,
      created: 60,
      failed: 1,
      updated: 0,
    });
    expect(job.errors).toEqual([{ row: 31, field: 'consent.sms', message: expect.any(String) }]);
    const id = await deps.customers.findIdByExternalId('M0007');
    expect(await deps.customers.get(id as string)).toMatchObject({
      name: 'Member 7',
      phone: '+8613800100007',
      consent: { sms: true, email: false },
      interests: ['table-tennis', 'swimming'],
    });
  });

  it('changes nothing when the same file comes again, and updates only a changed row', async () => {
    const again = await importFile('customers', file, () => Number.POSITIVE_INFINITY);
    expect(again.chunks).toBe(1);
    expect(again.job).toMatchObject({ status: 'done', processed: 61, created: 0, updated: 0, unchanged: 60 });
    const changed = await importFile('customers', customersCsv([member(3, 'Renamed'), member(4)]));
    expect(changed.job).toMatchObject({ created: 0, updated: 1, unchanged: 1, failed: 0 });
    const id = await deps.customers.findIdByExternalId('M0003');
    expect((await deps.customers.get(id as string))?.name).toBe('Renamed');
  });

  it('counts a chunk delivered twice once', async () => {
    const { id } = await createImport(deps, { kind: 'customers', format: 'csv' });
    const file = customersCsv(Array.from({ length: 30 }, (_, i) => member(200 + i)));
    system.uploads.put(uploadKey(id, 'customers'), Buffer.from(file));
    await startImport(deps, uploadKey(id, 'customers'));
    const first = system.bulk.shift() as Extract<BulkTask, { type: 'import-chunk' }>;
    expect(await runImportChunk(deps, id, first.from, () => 0)).toMatchObject({ processed: 25 });
    // SQS delivers the first chunk again: it finds the job moved on and only re-sends the continuation.
    expect(await runImportChunk(deps, id, first.from, () => 0)).toMatchObject({ skipped: 'moved on' });
    expect(system.bulk).toHaveLength(2);
    const results = [];
    while (system.bulk.length > 0) {
      const task = system.bulk.shift() as Extract<BulkTask, { type: 'import-chunk' }>;
      results.push(await runImportChunk(deps, id, task.from, () => 0));
    }
    expect(results.map((r) => r.skipped ?? r.processed)).toEqual([5, 'not running']);
    expect(await getImport(deps, id)).toMatchObject({ status: 'done', processed: 30, created: 30 });
  });

  it('keeps member numbers unique through the API too', async () => {
    await expect(
      createCustomer(deps, admin, CustomerInput.parse({ name: 'Copy', externalId: 'M0001' })),
    ).rejects.toSatisfy((e) => e instanceof ConflictError && e.errors?.[0]?.path === 'externalId');
  });

  it('reports a row with too few cells as that row, and goes on', async () => {
    const { job } = await importFile('customers', customersCsv(['M0500,Short row', member(501)]));
    expect(job).toMatchObject({ status: 'done', total: 2, created: 1, failed: 1 });
    expect(job.errors).toEqual([{ row: 1, field: '(row)', message: "has not the header's 5 columns" }]);
  });

  it('fails a file whose header lacks a required column', async () => {
    const { job } = await importFile('customers', 'name,phone\nA,+8613800000001');
    expect(job).toMatchObject({ status: 'failed', errors: [{ row: 0, field: '(header)' }] });
  });
});

describe('purchase imports and backfill', () => {
  const receipts = [
    'externalId,customerExternalId,purchasedAt,sku,quantity,unitPrice,storeId',
    // A two-item receipt from half a year ago: the paddle's lifespan reminder is still ahead.
    'R1,M0001,2026-06-01T10:00:00+08:00,PADDLE,1,280,S1',
    'R1,M0001,2026-06-01T10:00:00+08:00,BALLS,2,,S1',
    // Two years ago: its reminder would be in the past.
    'R2,M0002,2024-06-01T10:00:00+08:00,PADDLE,1,300,S1',
    'R3,M0404,2026-06-01T10:00:00+08:00,PADDLE,1,300,S1',
    'R4,M0003,2026-06-01T10:00:00+08:00,NOPE,1,300,S1',
  ].join('\n');

  it('groups the rows of a receipt, reports bad ones, and changes nothing the second time', async () => {
    const { job } = await importFile('purchases', receipts);
    expect(job).toMatchObject({ status: 'done', total: 5, processed: 5, created: 3, failed: 2 });
    expect(job.errors.map((e) => [e.row, e.field])).toEqual([
      [4, 'customerExternalId'],
      [5, 'sku'],
    ]);
    const customerId = (await deps.customers.findIdByExternalId('M0001')) as string;
    const [purchase] = (await deps.purchases.listByCustomer(customerId, { limit: 10 })).items;
    expect(purchase).toMatchObject({ externalId: 'R1', total: 320, storeId: 'S1' });
    expect(purchase?.items.map((i) => i.sku)).toEqual(['PADDLE', 'BALLS']);
    expect((await deps.customers.get(customerId))?.totalSales).toBe(320);

    const again = await importFile('purchases', receipts);
    expect(again.job).toMatchObject({ created: 0, updated: 0, unchanged: 3, failed: 2 });
    expect((await deps.customers.get(customerId))?.totalSales).toBe(320);
  });

  it('backfills a lifecycle campaign with the touchpoints still ahead, once', async () => {
    const campaign = await createCampaign(
      deps,
      await CampaignInput.parseAsync({
        name: 'Paddle renewal',
        kind: 'lifecycle',
        channel: 'sms',
        trigger: { products: { skus: ['PADDLE'] }, timing: { beforeLifespanEndDays: 14 } },
        message: { body: 'Time for a new paddle' },
      }),
    );
    const activated = await activateWithBackfill(deps, campaign.id, {
      backfill: { purchasedSince: '2024-01-01T00:00:00+08:00' },
    });
    // R1's reminder (2027-05-18) is ahead; R2's (2025-05-18) is past and is not planned.
    expect(activated).toMatchObject({ status: 'active', backfilled: 1, backfillContinues: false });
    const customerId = (await deps.customers.findIdByExternalId('M0001')) as string;
    const [touchpoint] = await deps.touchpoints.pending(customerId);
    expect(touchpoint?.fireAt.slice(0, 10)).toBe('2027-05-18');
    expect(system.scheduler.list()).toHaveLength(1);
    // Again (a redelivered continuation): nothing new.
    const rerun = await backfillCampaign(
      deps,
      { campaignId: campaign.id, purchasedSince: '2024-01-01T00:00:00Z', from: { shard: 0 } },
      () => Number.POSITIVE_INFINITY,
      0,
    );
    expect(rerun).toEqual({ planned: 0, continues: false });
  });

  it('hands a backfill that runs out of time to the bulk queue', async () => {
    const campaign = await createCampaign(
      deps,
      await CampaignInput.parseAsync({
        name: 'Ball follow-up',
        kind: 'lifecycle',
        channel: 'sms',
        trigger: { products: { skus: ['BALLS'] }, timing: { afterPurchaseDays: 200 } },
        message: { body: 'More balls?' },
      }),
    );
    await activateWithBackfill(deps, campaign.id, {});
    const result = await backfillCampaign(
      deps,
      { campaignId: campaign.id, purchasedSince: '2026-01-01T00:00:00Z', from: { shard: 0 } },
      () => 0,
      1,
    );
    expect(result.continues).toBe(true);
    expect(system.bulk.splice(0)).toEqual([
      expect.objectContaining({ type: 'backfill', campaignId: campaign.id, from: { shard: 1 } }),
    ]);
  });
});

describe('rows an outside probe broke (issue 13: a bad row never stops the others)', () => {
  const named = async (externalId: string) => {
    const id = await deps.customers.findIdByExternalId(externalId);
    return id ? (await deps.customers.get(id))?.name : undefined;
  };

  it('an unterminated quote fails its own row; the rows before it import', async () => {
    const csv =
      'externalId,name,phone\nQ1,Good One,+8613977700001\nQ2,Good Two,+8613977700002\n"Q3,Broken quote,+8613977700003\n';
    const { job } = await importFile('customers', csv);
    expect(job).toMatchObject({ status: 'done', total: 3, processed: 3, created: 2, failed: 1 });
    expect(job.errors).toEqual([{ row: 3, field: '(row)', message: 'has a quote that is never closed' }]);
    expect([await named('Q1'), await named('Q2')]).toEqual(['Good One', 'Good Two']);
  });

  it('and reading goes on at the next line, across chunks, with the real row numbers', async () => {
    const good = (i: number) => `U${i},Unquoted ${i},+86139888${String(i).padStart(5, '0')}`;
    const rows = Array.from({ length: 40 }, (_, i) => good(i + 1));
    rows.splice(26, 0, '"U999,Broken, never closed');
    // Every chunk takes 25 rows: the broken row (27) is in the second.
    const { job, chunks } = await importFile('customers', `externalId,name,phone\n${rows.join('\n')}\n`);
    expect(chunks).toBe(2);
    expect(job).toMatchObject({ status: 'done', total: 41, processed: 41, created: 40, failed: 1 });
    expect(job.errors).toEqual([{ row: 27, field: '(row)', message: 'has a quote that is never closed' }]);
    expect(await named('U26')).toBe('Unquoted 26');
    expect(await named('U27')).toBe('Unquoted 27');
    expect(await named('U40')).toBe('Unquoted 40');
  });

  it('a member number twice in one file: the later row fails, and a re-import settles', async () => {
    const csv = 'externalId,name,phone\nD1,First Name,+8613966600001\nD1,Second Name,+8613966600001\n';
    const first = await importFile('customers', csv);
    expect(first.job).toMatchObject({ status: 'done', created: 1, updated: 0, failed: 1 });
    expect(first.job.errors).toEqual([{ row: 2, field: 'externalId', message: 'repeats row 1' }]);
    for (let run = 0; run < 2; run++) {
      const again = await importFile('customers', csv, () => Number.POSITIVE_INFINITY);
      expect(again.job).toMatchObject({ created: 0, updated: 0, unchanged: 1, failed: 1 });
    }
    expect(await named('D1')).toBe('First Name');
  });

  it('finds a repeat in a later chunk, and a receipt number that comes back later', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => `E${i},Early ${i},`);
    rows.push('E1,Late copy of E1,');
    const { job, chunks } = await importFile('customers', `externalId,name,phone\n${rows.join('\n')}`);
    expect(chunks).toBe(2);
    expect(job.errors).toEqual([{ row: 31, field: 'externalId', message: 'repeats row 2' }]);
    expect(await named('E1')).toBe('Early 1');

    const receipts = [
      'externalId,customerExternalId,purchasedAt,sku,quantity,unitPrice,storeId',
      'RR1,M0001,2026-07-01T10:00:00+08:00,PADDLE,1,280,S1',
      'RR1,M0001,2026-07-01T10:00:00+08:00,BALLS,1,,S1',
      'RR2,M0001,2026-07-02T10:00:00+08:00,BALLS,1,,S1',
      'RR1,M0001,2026-07-01T10:00:00+08:00,BALLS,5,,S1',
    ].join('\n');
    const purchases = await importFile('purchases', receipts);
    // Counts are rows: RR1's two and RR2's one.
    expect(purchases.job).toMatchObject({ created: 3, failed: 1 });
    expect(purchases.job.errors).toEqual([{ row: 4, field: 'externalId', message: 'repeats row 1' }]);
  });

  it('holds imported text to the API’s rules: no NUL', async () => {
    const purchases = await importFile(
      'purchases',
      [
        'externalId,customerExternalId,purchasedAt,sku,quantity,unitPrice,storeId',
        'RN1,M0001,2026-07-03T10:00:00+08:00,BALLS,1,,bj\u000001',
      ].join('\n'),
    );
    expect(purchases.job).toMatchObject({ created: 0, failed: 1 });
    expect(purchases.job.errors).toEqual([
      { row: 1, field: 'storeId', message: 'must not contain NUL characters' },
    ]);
    const customers = await importFile('customers', 'externalId,name,phone\nN1,Nul\u0000Name,\n');
    expect(customers.job.errors).toEqual([
      { row: 1, field: 'name', message: 'must not contain NUL characters' },
    ]);
    expect(await named('N1')).toBeUndefined();
  });
});
