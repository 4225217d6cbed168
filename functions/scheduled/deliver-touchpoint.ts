import { awsDependencies } from '../../shared/composition/aws.ts';
import { awsEmail, awsSigner, awsSms } from '../../shared/composition/aws-capabilities.ts';
import { createEventHandler } from '../../shared/events/handler.ts';
import type { CrmDependencies } from '../../shared/ports/dependencies.ts';
import { deliverTouchpoint, type TouchpointFiring } from '../../shared/use-cases/touchpoints.ts';

/** Scheduler's target. A thrown error (a send that may succeed later) makes Scheduler retry. */
export const deliverTouchpointHandler = (makeDeps: () => CrmDependencies) =>
  createEventHandler(makeDeps, (deps, firing: TouchpointFiring) => deliverTouchpoint(deps, firing));

export const handler = deliverTouchpointHandler(
  awsDependencies({ email: awsEmail, sms: awsSms, signer: awsSigner }),
);
