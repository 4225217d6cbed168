import { awsDependencies } from '../../shared/composition/aws.ts';
import { createEventHandler } from '../../shared/events/handler.ts';
import { logger } from '../../shared/observability.ts';
import type { CrmDependencies } from '../../shared/ports/dependencies.ts';
import { sweepStaleLeads } from '../../shared/use-cases/lead-handover.ts';

/** The daily Scheduler cron target; `occurrence` is Scheduler's scheduled time, for the logs. */
export const sweepStaleLeadsHandler = (makeDeps: () => CrmDependencies) =>
  createEventHandler(makeDeps, async (deps, firing: { occurrence?: string }) => {
    const result = await sweepStaleLeads(deps);
    logger.info('daily lead sweep', { occurrence: firing?.occurrence, ...result });
    return result;
  });

export const handler = sweepStaleLeadsHandler(awsDependencies());
