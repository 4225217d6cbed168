import { awsDependencies } from '../../shared/composition/aws.ts';
import { awsSegments } from '../../shared/composition/aws-capabilities.ts';
import { functionConfig } from '../../shared/config.ts';
import { createEventHandler } from '../../shared/events/handler.ts';
import type { CrmDependencies } from '../../shared/ports/dependencies.ts';
import type { SegmentQueue } from '../../shared/ports/send-queue.ts';
import { runBroadcast } from '../../shared/use-cases/broadcasts.ts';

type Deps = CrmDependencies & { segments: SegmentQueue };

/** Scheduler's target for a broadcast occurrence: one task per audience segment onto the segment queue. */
export const runBroadcastHandler = (makeDeps: () => Deps) =>
  createEventHandler(makeDeps, (deps, firing: { campaignId: string; occurrence: string }) =>
    runBroadcast(deps, firing),
  );

export const handler = runBroadcastHandler(() => ({
  ...awsDependencies()(),
  segments: awsSegments(functionConfig(['segments'])),
}));
