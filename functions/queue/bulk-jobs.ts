import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { awsDependencies } from '../../shared/composition/aws.ts';
import { awsBulk, awsScheduler, awsUploads } from '../../shared/composition/aws-capabilities.ts';
import { createEventHandler } from '../../shared/events/handler.ts';
import type { CrmDependencies } from '../../shared/ports/dependencies.ts';
import type { BulkTask } from '../../shared/ports/imports.ts';
import { backfillCampaign } from '../../shared/use-cases/backfill.ts';
import { IMPORT_TIME_RESERVE_MS, runImportChunk, startImport } from '../../shared/use-cases/imports.ts';

/** S3's ObjectCreated notification as EventBridge delivers it to the queue. */
interface ObjectCreated {
  'detail-type': 'Object Created';
  detail: { object: { key: string } };
}

const taskOf = (body: unknown): BulkTask =>
  (body as ObjectCreated)['detail-type'] === 'Object Created'
    ? { type: 'import-uploaded', key: decodeURIComponent((body as ObjectCreated).detail.object.key) }
    : (body as BulkTask);

/**
 * The bulk queue's consumer (batch size 1): starts an uploaded import, runs one chunk of an import,
 * or one stretch of a campaign backfill, each until its time runs low, queueing its own continuation.
 * A failure is redelivered after the visibility timeout; every step is idempotent.
 */
export const bulkJobsHandler = (makeDeps: () => CrmDependencies) =>
  createEventHandler(makeDeps, async (deps, event: SQSEvent, remainingMs): Promise<SQSBatchResponse> => {
    const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
    for (const record of event.Records) {
      try {
        const task = taskOf(JSON.parse(record.body));
        if (task.type === 'import-uploaded') await startImport(deps, task.key);
        else if (task.type === 'import-chunk')
          await runImportChunk(deps, task.importId, task.from, remainingMs);
        else await backfillCampaign(deps, task, remainingMs, IMPORT_TIME_RESERVE_MS);
      } catch {
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures };
  });

export const handler = bulkJobsHandler(
  awsDependencies({ uploads: awsUploads, bulk: awsBulk, scheduler: awsScheduler }),
);
