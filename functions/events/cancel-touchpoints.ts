import { awsDependencies } from '../../shared/composition/aws.ts';
import { awsScheduler } from '../../shared/composition/aws-capabilities.ts';
import type { BusEvent } from '../../shared/events/domain-event.ts';
import { createEventHandler } from '../../shared/events/handler.ts';
import type { CrmDependencies } from '../../shared/ports/dependencies.ts';
import { cancelCustomerTouchpoints } from '../../shared/use-cases/touchpoints.ts';

export const cancelTouchpointsHandler = (makeDeps: () => CrmDependencies) =>
  createEventHandler(makeDeps, (deps, event: BusEvent) => cancelCustomerTouchpoints(deps, event));

export const handler = cancelTouchpointsHandler(awsDependencies({ scheduler: awsScheduler }));
