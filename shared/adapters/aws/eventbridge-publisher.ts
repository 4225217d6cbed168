import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { EVENT_SOURCE } from '../../events/domain-event.ts';
import type { EventPublisher } from '../../ports/event-publisher.ts';

/** PutEvents takes at most 10 entries per call. */
export const PUT_EVENTS_LIMIT = 10;

export const eventBridgePublisher = (client: EventBridgeClient, busName: string): EventPublisher => ({
  async publish(events) {
    const failed: number[] = [];
    for (let start = 0; start < events.length; start += PUT_EVENTS_LIMIT) {
      const chunk = events.slice(start, start + PUT_EVENTS_LIMIT);
      try {
        const { Entries = [] } = await client.send(
          new PutEventsCommand({
            Entries: chunk.map((event) => ({
              EventBusName: busName,
              Source: EVENT_SOURCE,
              DetailType: event.type,
              Time: new Date(event.time),
              Detail: JSON.stringify(event.detail),
            })),
          }),
        );
        Entries.forEach((entry, i) => {
          if (entry.ErrorCode) failed.push(start + i);
        });
      } catch {
        // A throttled or failed call: every entry of this chunk and after it is retried by the stream.
        for (let i = start; i < events.length; i++) failed.push(i);
        return failed;
      }
    }
    return failed;
  },
});
