import * as z from 'zod';
import { Campaign } from './campaign.ts';
import { Id, OffsetTimestamp, UtcTimestamp } from './common.ts';

export const importKinds = ['customers', 'purchases'] as const;
export type ImportKind = (typeof importKinds)[number];

export const ImportRequest = z
  .strictObject({ kind: z.enum(importKinds), format: z.literal('csv') })
  .meta({ id: 'ImportRequest' });
export type ImportRequest = z.infer<typeof ImportRequest>;

export const ImportParams = z.strictObject({ id: Id });

export const ImportError = z.object({
  /** The file's line of data: 1 is the first row after the header. */
  row: z.number().int(),
  /** The CSV column (a JSON field path) that is wrong, or `(row)` when the row as a whole is. */
  field: z.string(),
  message: z.string(),
});
export type ImportError = z.infer<typeof ImportError>;

export const importStatuses = ['awaiting-upload', 'running', 'done', 'failed'] as const;

export const ImportJob = z
  .object({
    id: Id,
    kind: z.enum(importKinds),
    status: z.enum(importStatuses),
    /** Data rows in the file, counted when the upload arrives (0 before). */
    total: z.number().int(),
    processed: z.number().int(),
    created: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    failed: z.number().int(),
    /** The first MAX_IMPORT_ERRORS errors. */
    errors: z.array(ImportError),
    createdAt: UtcTimestamp,
    updatedAt: UtcTimestamp,
  })
  .meta({ id: 'ImportJob' });
export type ImportJob = z.infer<typeof ImportJob>;

export const ImportCreated = z
  .object({ id: Id, status: z.literal('awaiting-upload'), uploadUrl: z.url() })
  .meta({ id: 'ImportCreated' });

export const MAX_IMPORT_ERRORS = 100;

/** Where a running job's next chunk starts: a byte offset into the file and the row number there. */
export interface ImportCheckpoint {
  offset: number;
  row: number;
}

export type RowOutcome = 'created' | 'updated' | 'unchanged' | 'failed';
export type ImportCounts = Pick<ImportJob, 'processed' | 'created' | 'updated' | 'unchanged' | 'failed'>;

/** POST /campaigns/{id}/activate's optional body. */
export const ActivateRequest = z
  .strictObject({
    /** Plan this lifecycle campaign's touchpoints still ahead for the purchases made since then. */
    backfill: z.strictObject({ purchasedSince: OffsetTimestamp }).optional(),
  })
  .meta({ id: 'ActivateRequest' });
export type ActivateRequest = z.infer<typeof ActivateRequest>;

export const ActivatedCampaign = Campaign.extend({
  /** Touchpoints the backfill planned before answering. */
  backfilled: z.number().int().optional(),
  /** True when the backfill went on in the background (the bulk queue) after answering. */
  backfillContinues: z.boolean().optional(),
}).meta({ id: 'ActivatedCampaign' });
