import {
  type EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import { EVENT_SOURCE } from '../../events/domain-event.ts';
import { batchBySize, PUT_EVENTS_MAX_ENTRIES, putEventsEntrySize } from '../../events/event-size.ts';
import type { EventPublisher } from '../../ports/event-publisher.ts';

/** PutEvents takes at most 10 entries per call (and 256 KB; see shared/events/event-size.ts). */
export const PUT_EVENTS_LIMIT = PUT_EVENTS_MAX_ENTRIES;

export const eventBridgePublisher = (client: EventBridgeClient, busName: string): EventPublisher => ({
  async publish(events) {
    const entries = events.map((event, index) => ({
      index,
      entry: {
        EventBusName: busName,
        Source: EVENT_SOURCE,
        DetailType: event.type,
        Time: new Date(event.time),
        Detail: JSON.stringify(event.detail),
      } satisfies PutEventsRequestEntry,
    }));
    const failed: number[] = [];
    for (const batch of batchBySize(entries, ({ entry }) => putEventsEntrySize(entry))) {
      try {
        const { Entries = [] } = await client.send(
          new PutEventsCommand({ Entries: batch.map(({ entry }) => entry) }),
        );
        Entries.forEach((entry, i) => {
          if (entry.ErrorCode) failed.push((batch[i] as (typeof batch)[number]).index);
        });
      } catch {
        // A throttled or failed call: every entry of this batch and after it is retried by the stream.
        const first = (batch[0] as (typeof batch)[number]).index;
        for (let i = first; i < events.length; i++) failed.push(i);
        return failed;
      }
    }
    return failed;
  },
});
