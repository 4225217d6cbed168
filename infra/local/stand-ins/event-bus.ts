import { randomUUID } from 'node:crypto';
import { matchesPattern } from '../../../shared/domain/event-pattern.ts';
import { type BusEvent, EVENT_SOURCE } from '../../../shared/events/domain-event.ts';
import type { EventRoute, EventTarget } from '../../../shared/events/routes.ts';
import { logger } from '../../../shared/observability.ts';
import type { EventPublisher } from '../../../shared/ports/event-publisher.ts';

export type Target = (event: BusEvent) => Promise<unknown>;

/** Like EventBridge's retry policy on a target, shortened for one machine. */
const MAX_ATTEMPTS = 3;

/**
 * The local EventBridge bus: it accepts PutEvents-like calls, matches each event against the same
 * route list the CDK stack turns into rules, and invokes the target functions. A target that keeps
 * failing lands in the dead-letter list, as it would in the rule's DLQ.
 */
export const localEventBus = (routes: EventRoute[], targets: () => Record<EventTarget, Target>) => {
  const pending = new Set<Promise<void>>();
  const deadLetters: { event: BusEvent; target: EventTarget; error: string }[] = [];

  const deliver = async (event: BusEvent, route: EventRoute) => {
    for (let attempt = 1; ; attempt++) {
      try {
        await targets()[route.target](event);
        return;
      } catch (error) {
        if (attempt >= MAX_ATTEMPTS) {
          logger.error('event target failed; sent to dead letters', {
            target: route.target,
            error: error as Error,
          });
          deadLetters.push({ event, target: route.target, error: (error as Error).message });
          return;
        }
      }
    }
  };

  const publisher: EventPublisher = {
    async publish(events) {
      for (const event of events) {
        const envelope: BusEvent = {
          version: '0',
          id: randomUUID(),
          'detail-type': event.type,
          source: EVENT_SOURCE,
          account: '000000000000',
          time: event.time,
          region: 'local',
          resources: [],
          detail: event.detail,
        };
        for (const route of routes) {
          if (!matchesPattern(route.pattern, envelope)) continue;
          const delivery = deliver(envelope, route).finally(() => pending.delete(delivery));
          pending.add(delivery);
        }
      }
      return [];
    },
  };

  return {
    publisher,
    deadLetters,
    /** Resolves once every delivery started so far (and any they started) has finished. */
    async drain() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
};
