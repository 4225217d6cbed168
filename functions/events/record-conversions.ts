import { awsDependencies } from '../../shared/composition/aws.ts';
import type { BusEvent } from '../../shared/events/domain-event.ts';
import { createBusEventHandler } from '../../shared/events/handler.ts';
import type { CrmDependencies } from '../../shared/ports/dependencies.ts';
import { recordConversions } from '../../shared/use-cases/record-conversions.ts';

/** purchase.recorded → the customer's campaign conversions (issue 13). */
export const recordConversionsHandler = (
  makeDeps: () => Pick<CrmDependencies, 'exposures' | 'settings' | 'items'>,
) => createBusEventHandler(makeDeps, (deps, event: BusEvent) => recordConversions(deps, event));

export const handler = recordConversionsHandler(awsDependencies());
