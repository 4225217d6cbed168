import { awsDependencies } from '../../shared/composition/aws.ts';
import type { BusEvent } from '../../shared/events/domain-event.ts';
import { createEventHandler } from '../../shared/events/handler.ts';
import type { CrmDependencies } from '../../shared/ports/dependencies.ts';
import { countSalesEvent } from '../../shared/use-cases/sales-reports.ts';

export const countSalesHandler = (makeDeps: () => CrmDependencies) =>
  createEventHandler(makeDeps, (deps, event: BusEvent) => countSalesEvent(deps, event));

export const handler = countSalesHandler(awsDependencies());
