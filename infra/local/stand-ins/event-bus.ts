import { randomUUID } from 'node:crypto';
import type {
  EventBridgeClient,
  PutEventsCommand,
  PutEventsRequestEntry,
  PutEventsResponse,
} from '@aws-sdk/client-eventbridge';
import { eventBridgePublisher } from '../../../shared/adapters/aws/eventbridge-publisher.ts';
import { matchesPattern } from '../../../shared/domain/event-pattern.ts';
import type { BusEvent } from '../../../shared/events/domain-event.ts';
import type { EventRoute, EventTarget } from '../../../shared/events/routes.ts';
import type { LambdaFunction, LocalLambda } from './lambda.ts';

/** PutEvents limits: 10 entries, and 256 KB for the whole request, counted as AWS counts it. */
export const PUT_EVENTS_MAX_ENTRIES = 10;
export const PUT_EVENTS_MAX_BYTES = 256 * 1024;

const bytes = (text: string | undefined) => (text ? Buffer.byteLength(text, 'utf8') : 0);

/** An entry's size as EventBridge computes it: 14 bytes for Time, plus the UTF-8 sizes of the rest. */
export const putEventsEntrySize = (entry: PutEventsRequestEntry): number =>
  (entry.Time ? 14 : 0) +
  bytes(entry.Source) +
  bytes(entry.DetailType) +
  bytes(entry.Detail) +
  (entry.Resources ?? []).reduce((sum, resource) => sum + bytes(resource), 0);

const validationError = (message: string) =>
  Object.assign(new Error(message), { name: 'ValidationException' });

/**
 * The local EventBridge bus, at the level of the PutEvents API: the real publisher adapter calls it,
 * it refuses requests AWS would refuse (too many entries, too many bytes), matches each event
 * against the route list the CDK stack turns into rules, and invokes each target asynchronously
 * through the local Lambda service (retries, then the on-failure destination).
 */
export const localEventBus = (
  routes: EventRoute[],
  targets: () => Record<EventTarget, LambdaFunction<BusEvent>>,
  lambda: LocalLambda,
) => {
  const putEvents = (command: PutEventsCommand): PutEventsResponse => {
    const entries = command.input.Entries ?? [];
    if (entries.length > PUT_EVENTS_MAX_ENTRIES) {
      throw validationError(`1 validation error detected: 'entries' must have length at most 10`);
    }
    const total = entries.reduce((sum, entry) => sum + putEventsEntrySize(entry), 0);
    if (total > PUT_EVENTS_MAX_BYTES) {
      throw validationError(`Total size of the entries in the request is over the limit (${total} bytes).`);
    }
    return {
      FailedEntryCount: 0,
      Entries: entries.map((entry) => {
        const event: BusEvent = {
          version: '0',
          id: randomUUID(),
          'detail-type': entry.DetailType ?? '',
          source: entry.Source ?? '',
          account: '000000000000',
          time: (entry.Time ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
          region: 'local',
          resources: entry.Resources ?? [],
          detail: JSON.parse(entry.Detail ?? '{}'),
        };
        for (const route of routes) {
          if (matchesPattern(route.pattern, event)) {
            lambda.invokeAsync('eventbridge', route.target, targets()[route.target], event);
          }
        }
        return { EventId: event.id };
      }),
    };
  };
  const client = { send: async (command: PutEventsCommand) => putEvents(command) };
  return {
    client,
    publisher: eventBridgePublisher(client as unknown as EventBridgeClient, 'crm-local'),
  };
};
