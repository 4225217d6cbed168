import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { type PurchaseRow, purchaseFromRow } from '../domain/csv-rows.ts';
import { NotFoundError } from '../domain/errors.ts';
import {
  type ImportCheckpoint,
  type ImportCounts,
  type ImportError,
  type ImportJob,
  type ImportRequest,
  MAX_IMPORT_ERRORS,
} from '../domain/import.ts';
import type { Product } from '../domain/product.ts';
import { logger } from '../observability.ts';
import type { CrmDependencies } from '../ports/dependencies.ts';
import { importIdOfKey, type StoredImportJob, uploadKey } from '../ports/imports.ts';
import { importCustomerRow, importPurchaseRows, type RowDeps, type RowResult } from './import-rows.ts';

type ImportDeps = RowDeps & Pick<CrmDependencies, 'imports' | 'uploads' | 'bulk'>;

/** A chunk stops taking new rows when less than this much of its invocation's time is left. */
export const IMPORT_TIME_RESERVE_MS = 10_000;
/** Rows (customers) or receipts (purchases) written concurrently: DynamoDB is the limit, not the CPU. */
const CONCURRENCY = 25;
/** Columns without which no row of the file could be imported. */
const REQUIRED_COLUMNS = {
  customers: ['externalId', 'name'],
  purchases: ['externalId', 'purchasedAt', 'sku', 'quantity'],
};

// A row with too few or too many cells is that row's error, not the file's: relax_column_count.
const csvOptions = {
  bom: true,
  info: true,
  relax_quotes: true,
  relax_column_count: true,
  skip_empty_lines: true,
  encoding: 'utf8',
} as const;

export const createImport = async (
  deps: Pick<CrmDependencies, 'imports' | 'uploads' | 'ids' | 'clock'>,
  request: ImportRequest,
): Promise<{ id: string; status: 'awaiting-upload'; uploadUrl: string }> => {
  const now = deps.clock.now().toISOString();
  const job: ImportJob = {
    id: deps.ids.next(),
    kind: request.kind,
    status: 'awaiting-upload',
    total: 0,
    processed: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    failed: 0,
    errors: [],
    createdAt: now,
    updatedAt: now,
  };
  await deps.imports.create(job);
  return {
    id: job.id,
    status: 'awaiting-upload',
    uploadUrl: await deps.uploads.uploadUrl(uploadKey(job.id, job.kind)),
  };
};

export const getImport = async (deps: Pick<CrmDependencies, 'imports'>, id: string): Promise<ImportJob> => {
  const job = await deps.imports.get(id);
  if (!job) throw new NotFoundError(`Import ${id}`);
  const { checkpoint: _checkpoint, columns: _columns, ...visible } = job;
  return visible;
};

type Parsed = { record: string[]; info: { bytes: number; records: number } };
const parser = async (deps: Pick<CrmDependencies, 'uploads'>, key: string, offset: number) => {
  const source = Readable.from(await deps.uploads.read(key, offset));
  const csv = source.pipe(parse(csvOptions));
  return { rows: csv as AsyncIterable<Parsed>, close: () => source.destroy() };
};

/**
 * The file arrived (S3's ObjectCreated, or the local upload route): one streaming pass reads the
 * header and counts the rows, the job starts, and its first chunk is queued. A second event for the
 * same file finds the job started and does nothing.
 */
export const startImport = async (deps: ImportDeps, key: string): Promise<{ started: boolean }> => {
  const id = importIdOfKey(key);
  const job = id ? await deps.imports.get(id) : undefined;
  if (job?.status !== 'awaiting-upload') return { started: false };
  const at = () => deps.clock.now().toISOString();
  const { rows, close } = await parser(deps, key, 0);
  let columns: string[] | undefined;
  let headerBytes = 0;
  let total = 0;
  try {
    for await (const { record, info } of rows) {
      if (columns) total++;
      else [columns, headerBytes] = [record.map((c) => c.trim()), info.bytes];
    }
  } catch (error) {
    await deps.imports.fail(
      job.id,
      { row: total + 1, field: '(file)', message: (error as Error).message },
      at(),
    );
    return { started: false };
  } finally {
    close();
  }
  const missing = REQUIRED_COLUMNS[job.kind].filter((c) => !columns?.includes(c));
  if (missing.length > 0) {
    const message = `the header lacks ${missing.join(', ')}`;
    await deps.imports.fail(job.id, { row: 0, field: '(header)', message }, at());
    return { started: false };
  }
  const checkpoint = { offset: headerBytes, row: 1 };
  if (!(await deps.imports.start(job.id, { columns: columns as string[], total, checkpoint, at: at() })))
    return { started: false };
  await deps.bulk.enqueue([{ type: 'import-chunk', importId: job.id, from: checkpoint }]);
  return { started: true };
};

/** A unit of work: one customer row, or the rows of one receipt; `end` is where the file goes on after it. */
interface Unit {
  rows: { row: number; cells: Record<string, string>; purchase?: PurchaseRow }[];
  end: ImportCheckpoint;
}

const add = (counts: ImportCounts, results: RowResult[]) => {
  for (const result of results) {
    counts.processed++;
    counts[result.outcome]++;
  }
};

/**
 * One chunk of a running import: reads the file from the checkpoint, imports rows CONCURRENTLY at a
 * time until the file ends or the invocation's time runs low, then records the counts and the new
 * checkpoint in one conditional update and queues the continuation. Rows are idempotent on their
 * own keys and the counts move only with the checkpoint, so a chunk delivered twice counts once.
 */
export const runImportChunk = async (
  deps: ImportDeps,
  importId: string,
  from: ImportCheckpoint,
  remainingMs: () => number = () => Number.POSITIVE_INFINITY,
): Promise<{ processed: number; next?: ImportCheckpoint; skipped?: string }> => {
  const job: StoredImportJob | undefined = await deps.imports.get(importId);
  if (job?.status !== 'running' || !job.checkpoint || !job.columns)
    return { processed: 0, skipped: 'not running' };
  if (job.checkpoint.offset !== from.offset) {
    // A redelivery after the checkpoint moved on: the continuation may have been lost, so send it again
    // (a duplicate run of a chunk loses the conditional update and stops).
    if (job.checkpoint.offset > from.offset)
      await deps.bulk.enqueue([{ type: 'import-chunk', importId, from: job.checkpoint }]);
    return { processed: 0, skipped: 'moved on' };
  }
  const columns = job.columns;
  const counts: ImportCounts = { processed: 0, created: 0, updated: 0, unchanged: 0, failed: 0 };
  const errors: ImportError[] = [];
  const products = new Map<string, Product>();
  let done: ImportCheckpoint = from;

  const runBatch = async (batch: Unit[]) => {
    // Customers: one batch read finds the whole batch's existing customers by member number.
    const prefetched =
      job.kind === 'customers'
        ? await deps.customers.getManyByExternalId(
            batch.map((unit) => unit.rows[0]?.cells.externalId?.trim() ?? '').filter((id) => id !== ''),
          )
        : undefined;
    const results = await Promise.all(
      batch.map(async (unit): Promise<RowResult[]> => {
        const [first] = unit.rows;
        if (!first) return [];
        if (unit.rows.some((r) => Object.keys(r.cells).length === 0)) {
          return unit.rows.map((r) => ({
            outcome: 'failed',
            errors: [
              { row: r.row, field: '(row)', message: `has not the header's ${columns.length} columns` },
            ],
          }));
        }
        if (job.kind === 'customers')
          return [await importCustomerRow(deps, first.row, first.cells, prefetched)];
        return importPurchaseRows(
          deps,
          unit.rows.map((r) => ({ row: r.row, data: r.purchase as PurchaseRow })),
          products,
        );
      }),
    );
    for (const unitResults of results) {
      add(counts, unitResults);
      for (const result of unitResults) errors.push(...result.errors);
    }
    done = batch[batch.length - 1]?.end ?? done;
  };

  const { rows, close } = await parser(deps, uploadKey(job.id, job.kind), from.offset);
  let batch: Unit[] = [];
  let receipt: Unit | undefined;
  let stopped = false;
  try {
    for await (const { record, info } of rows) {
      const row = from.row + info.records - 1;
      const end = { offset: from.offset + info.bytes, row: row + 1 };
      const cells =
        record.length === columns.length
          ? Object.fromEntries(columns.map((column, i) => [column, record[i] ?? '']))
          : {};
      if (job.kind === 'customers') batch.push({ rows: [{ row, cells }], end });
      else {
        const purchase = purchaseFromRow(cells);
        if (
          receipt &&
          receipt.rows[0]?.purchase?.externalId === purchase.externalId &&
          purchase.externalId !== ''
        ) {
          receipt.rows.push({ row, cells, purchase });
          receipt.end = end;
          continue;
        }
        if (receipt) batch.push(receipt);
        receipt = { rows: [{ row, cells, purchase }], end };
      }
      if (batch.length >= CONCURRENCY) {
        await runBatch(batch);
        batch = [];
        if (remainingMs() < IMPORT_TIME_RESERVE_MS) {
          stopped = true;
          break;
        }
      }
    }
    if (!stopped) {
      if (receipt) batch.push(receipt);
      await runBatch(batch);
    }
  } finally {
    close();
  }
  const next = stopped ? done : undefined;
  const room = Math.max(0, MAX_IMPORT_ERRORS - job.errors.length);
  const at = deps.clock.now().toISOString();
  if (!(await deps.imports.advance(importId, from, next, counts, errors.slice(0, room), at)))
    return { processed: 0, skipped: 'ran twice' };
  if (next) await deps.bulk.enqueue([{ type: 'import-chunk', importId, from: next }]);
  logger.info('import chunk', { importId, ...counts, next });
  return { processed: counts.processed, ...(next ? { next } : {}) };
};
