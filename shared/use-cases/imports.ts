import { type PurchaseRow, purchaseFromRow } from '../domain/csv-rows.ts';
import { NotFoundError } from '../domain/errors.ts';
import {
  type ImportCheckpoint,
  type ImportCounts,
  type ImportError,
  type ImportJob,
  type ImportRequest,
  MAX_IMPORT_ERRORS,
  MAX_REPEATED_ROWS,
  repeatFinder,
} from '../domain/import.ts';
import { textProblem } from '../domain/input-limits.ts';
import type { Product } from '../domain/product.ts';
import { logger } from '../observability.ts';
import type { CrmDependencies } from '../ports/dependencies.ts';
import { importIdOfKey, type StoredImportJob, uploadKey } from '../ports/imports.ts';
import { fileRecords } from './import-file.ts';
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
  const { checkpoint: _checkpoint, columns: _columns, repeats: _repeats, ...visible } = job;
  return visible;
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
  let columns: string[] | undefined;
  let headerBytes = 0;
  let total = 0;
  let idColumn = -1;
  const finder = repeatFinder(job.kind);
  try {
    for await (const item of fileRecords(deps.uploads, key, 0)) {
      if (columns) {
        total++;
        // A row the chunk cannot read (or whose cells do not fit the header) has no member number.
        const cells = 'record' in item && item.record.length === columns.length ? item.record : undefined;
        finder.see(total, cells?.[idColumn]);
      } else if ('record' in item) {
        [columns, headerBytes] = [item.record.map((c) => c.trim()), item.end];
        idColumn = columns.indexOf('externalId');
      } else {
        await deps.imports.fail(job.id, { row: 0, field: '(header)', message: item.unreadable }, at());
        return { started: false };
      }
    }
  } catch (error) {
    await deps.imports.fail(
      job.id,
      { row: total + 1, field: '(file)', message: (error as Error).message },
      at(),
    );
    return { started: false };
  }
  const repeated = Object.keys(finder.repeats).length;
  if (repeated > MAX_REPEATED_ROWS) {
    const message = `${repeated} rows repeat an earlier row's externalId (at most ${MAX_REPEATED_ROWS}): remove the repeats`;
    await deps.imports.fail(job.id, { row: 0, field: '(file)', message }, at());
    return { started: false };
  }
  const missing = REQUIRED_COLUMNS[job.kind].filter((c) => !columns?.includes(c));
  if (missing.length > 0) {
    const message = `the header lacks ${missing.join(', ')}`;
    await deps.imports.fail(job.id, { row: 0, field: '(header)', message }, at());
    return { started: false };
  }
  const checkpoint = { offset: headerBytes, row: 1 };
  const start = { columns: columns as string[], total, checkpoint, repeats: finder.repeats, at: at() };
  if (!(await deps.imports.start(job.id, start))) return { started: false };
  await deps.bulk.enqueue([{ type: 'import-chunk', importId: job.id, from: checkpoint }]);
  return { started: true };
};

/** A unit of work: one customer row, or the rows of one receipt; `end` is where the file goes on after it. */
interface Unit {
  rows: { row: number; cells: Record<string, string>; purchase?: PurchaseRow; unreadable?: string }[];
  end: ImportCheckpoint;
}

/**
 * What fails a row before anything is looked up: the CSV reader could not read it, its cells do
 * not fit the header, an earlier row has its externalId, or a cell holds what the JSON API refuses
 * as text (NUL, lone surrogates).
 */
const rowProblems = (
  { row, cells, unreadable }: Unit['rows'][number],
  columns: string[],
  repeats: Record<string, number>,
): ImportError[] => {
  if (unreadable !== undefined) return [{ row, field: '(row)', message: unreadable }];
  if (Object.keys(cells).length === 0)
    return [{ row, field: '(row)', message: `has not the header's ${columns.length} columns` }];
  const earlier = repeats[String(row)];
  return [
    ...(earlier === undefined ? [] : [{ row, field: 'externalId', message: `repeats row ${earlier}` }]),
    ...Object.entries(cells).flatMap(([field, text]) => {
      const message = textProblem(text);
      return message ? [{ row, field, message }] : [];
    }),
  ];
};

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
        const problems = unit.rows.flatMap((r) => rowProblems(r, columns, job.repeats ?? {}));
        // A receipt fails whole: each row carries its own problems.
        if (problems.length > 0)
          return unit.rows.map((r) => ({
            outcome: 'failed',
            errors: problems.filter((e) => e.row === r.row),
          }));
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

  let batch: Unit[] = [];
  let receipt: Unit | undefined;
  let stopped = false;
  let row = from.row - 1;
  for await (const item of fileRecords(deps.uploads, uploadKey(job.id, job.kind), from.offset)) {
    row++;
    const end = { offset: item.end, row: row + 1 };
    if ('unreadable' in item) {
      if (receipt) batch.push(receipt);
      receipt = undefined;
      batch.push({ rows: [{ row, cells: {}, unreadable: item.unreadable }], end });
    } else {
      const { record } = item;
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
  const next = stopped ? done : undefined;
  const room = Math.max(0, MAX_IMPORT_ERRORS - job.errors.length);
  const at = deps.clock.now().toISOString();
  if (!(await deps.imports.advance(importId, from, next, counts, errors.slice(0, room), at)))
    return { processed: 0, skipped: 'ran twice' };
  if (next) await deps.bulk.enqueue([{ type: 'import-chunk', importId, from: next }]);
  logger.info('import chunk', { importId, ...counts, next });
  return { processed: counts.processed, ...(next ? { next } : {}) };
};
