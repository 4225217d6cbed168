import type { ImportCheckpoint, ImportCounts, ImportError, ImportJob, ImportKind } from '../domain/import.ts';
import type { Queue } from './send-queue.ts';

/** A running job's state beyond what GET /imports/{id} shows: where to go on, and the file's header. */
export interface StoredImportJob extends ImportJob {
  checkpoint?: ImportCheckpoint | undefined;
  columns?: string[] | undefined;
  /** Rows that repeat an earlier row's externalId (row → that row), found by the counting pass. */
  repeats?: Record<string, number> | undefined;
}

export interface ImportRepository {
  create(job: ImportJob): Promise<void>;
  get(id: string): Promise<StoredImportJob | undefined>;
  /** awaiting-upload → running, with the header and row count; false when it was started already (a duplicate event). */
  start(
    id: string,
    start: {
      columns: string[];
      total: number;
      checkpoint: ImportCheckpoint;
      repeats: Record<string, number>;
      at: string;
    },
  ): Promise<boolean>;
  /**
   * Adds a chunk's counts and errors and moves the checkpoint from `from` to `to` (undefined: the
   * file is done). False when the checkpoint is no longer `from`: the chunk ran twice, and the
   * second run's counts must not be added again.
   */
  advance(
    id: string,
    from: ImportCheckpoint,
    to: ImportCheckpoint | undefined,
    counts: ImportCounts,
    errors: ImportError[],
    at: string,
  ): Promise<boolean>;
  fail(id: string, error: ImportError, at: string): Promise<void>;
}

/** Where uploaded files live: S3 in AWS, memory on one machine. */
export interface UploadStore {
  /** A URL the client PUTs the file to (text/csv), valid for a limited time. */
  uploadUrl(key: string): Promise<string>;
  /** The file's bytes from `offset` to its end, as a stream (S3: a ranged GET). */
  read(key: string, offset: number): Promise<AsyncIterable<Uint8Array>>;
}

export const uploadKey = (importId: string, kind: ImportKind) => `imports/${kind}/${importId}.csv`;
export const importIdOfKey = (key: string) =>
  /^imports\/(?:customers|purchases)\/([^/]+)\.csv$/.exec(key)?.[1];

/** Work on the bulk queue: an uploaded file to start, a chunk of a running import, or a campaign backfill. */
export type BulkTask =
  | { type: 'import-uploaded'; key: string }
  | { type: 'import-chunk'; importId: string; from: ImportCheckpoint }
  | {
      type: 'backfill';
      campaignId: string;
      purchasedSince: string;
      from: { shard: number; cursor?: string | undefined };
    };
export type BulkQueue = Queue<BulkTask>;
