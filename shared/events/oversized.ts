import type { ItemLoader, ItemRef } from '../ports/event-publisher.ts';
import type { BusEvent, DomainEvent } from './domain-event.ts';
import { domainEventSize, PUT_EVENTS_MAX_BYTES } from './event-size.ts';

export type { ItemLoader, ItemRef };

/**
 * An event whose entry would exceed PutEvents' 256 KB travels as a reference: the entity's id and
 * its item's key, without `previous`, flagged `oversized`. `changed` and `cause` stay, so rules
 * on changed fields and loop protection still work.
 */
export const withinSizeLimit = (event: DomainEvent, ref: ItemRef | undefined): DomainEvent => {
  if (!ref || domainEventSize(event) <= PUT_EVENTS_MAX_BYTES) return event;
  const { eventId, entity, changed, cause } = event.detail;
  return {
    ...event,
    detail: {
      eventId,
      entity: { id: entity.id, ref },
      changed,
      ...(cause ? { cause } : {}),
      oversized: true,
    } as DomainEvent['detail'],
  };
};

/**
 * What a rule target calls first: an oversized event gets its entity loaded from the table (its
 * state now, which may be newer than the change; a deleted item leaves just the id).
 */
export const loadOversized = async <E extends BusEvent>(items: ItemLoader, event: E): Promise<E> => {
  const detail = event.detail as E['detail'] & { oversized?: boolean };
  if (!detail.oversized) return event;
  const { ref, id } = detail.entity as { ref?: ItemRef; id?: unknown };
  const loaded = ref ? await items.load(ref) : undefined;
  const { oversized: _flag, ...rest } = detail;
  return { ...event, detail: { ...rest, entity: loaded ?? { id } } };
};
