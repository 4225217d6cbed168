import { awsDependencies } from '../../shared/composition/aws.ts';
import { awsScheduler } from '../../shared/composition/aws-capabilities.ts';
import type { BusEvent } from '../../shared/events/domain-event.ts';
import { createBusEventHandler } from '../../shared/events/handler.ts';
import type { CrmDependencies } from '../../shared/ports/dependencies.ts';
import { forgetCustomer } from '../../shared/use-cases/touchpoints.ts';

export const forgetCustomerHandler = (makeDeps: () => CrmDependencies) =>
  createBusEventHandler(makeDeps, (deps, event: BusEvent) => forgetCustomer(deps, event));

export const handler = forgetCustomerHandler(awsDependencies({ scheduler: awsScheduler }));
