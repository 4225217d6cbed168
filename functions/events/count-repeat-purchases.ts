import { awsDependencies } from '../../shared/composition/aws.ts';
import type { BusEvent } from '../../shared/events/domain-event.ts';
import { createEventHandler } from '../../shared/events/handler.ts';
import type { CrmDependencies } from '../../shared/ports/dependencies.ts';
import { countRepeatPurchase } from '../../shared/use-cases/repeat-purchases.ts';

/** `purchase.recorded` → the repeat-purchase report's counters (idempotent under redelivery). */
export const countRepeatPurchasesHandler = (makeDeps: () => CrmDependencies) =>
  createEventHandler(makeDeps, (deps, event: BusEvent) => countRepeatPurchase(deps, event));

export const handler = countRepeatPurchasesHandler(awsDependencies());
