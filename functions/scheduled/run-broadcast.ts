import { awsDependencies } from '../../shared/composition/aws.ts';
import { awsQueue } from '../../shared/composition/aws-capabilities.ts';
import { readConfig } from '../../shared/config.ts';
import { createEventHandler } from '../../shared/events/handler.ts';
import type { CrmDependencies } from '../../shared/ports/dependencies.ts';
import type { SendQueue } from '../../shared/ports/send-queue.ts';
import { runBroadcast } from '../../shared/use-cases/broadcasts.ts';

type Deps = CrmDependencies & { queue: SendQueue };

export const runBroadcastHandler = (makeDeps: () => Deps) =>
  createEventHandler(makeDeps, (deps, firing: { campaignId: string; occurrence: string }) =>
    runBroadcast(deps, firing),
  );

export const handler = runBroadcastHandler(() => ({
  ...awsDependencies()(),
  queue: awsQueue(readConfig(process.env, ['queue'])),
}));
