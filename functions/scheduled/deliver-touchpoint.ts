import { awsDependencies } from '../../shared/composition/aws.ts';
import { awsEmail, awsSigner, awsSms } from '../../shared/composition/aws-capabilities.ts';
import { createEventHandler } from '../../shared/events/handler.ts';
import type { CrmDependencies } from '../../shared/ports/dependencies.ts';
import { deliverTouchpoint, type TouchpointFiring } from '../../shared/use-cases/touchpoints.ts';

/**
 * Scheduler's target, invoked asynchronously: a thrown error (a send that may succeed later, or too
 * little time left to send) makes Lambda retry it, and after the retries the event goes to the
 * function's on-failure destination.
 */
export const deliverTouchpointHandler = (makeDeps: () => CrmDependencies) =>
  createEventHandler(makeDeps, (deps, firing: TouchpointFiring, remainingMs) =>
    deliverTouchpoint(deps, firing, remainingMs),
  );

export const handler = deliverTouchpointHandler(
  awsDependencies({ email: awsEmail, sms: awsSms, signer: awsSigner }),
);
