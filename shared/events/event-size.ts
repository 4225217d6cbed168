import { type DomainEvent, EVENT_SOURCE } from './domain-event.ts';

/** PutEvents: at most 10 entries and 256 KB (262,144 bytes) per request, counted as below. */
export const PUT_EVENTS_MAX_ENTRIES = 10;
export const PUT_EVENTS_MAX_BYTES = 256 * 1024;

export interface SizedEntry {
  Source?: string | undefined;
  DetailType?: string | undefined;
  Detail?: string | undefined;
  Time?: Date | string | undefined;
  Resources?: string[] | undefined;
}

const utf8 = (value: string | undefined) => (value ? Buffer.byteLength(value, 'utf8') : 0);

/**
 * An entry's size as EventBridge computes it ("Calculating PutEvents event entry size" in the
 * EventBridge user guide): 14 bytes for a Time, plus the UTF-8 bytes of Source, DetailType,
 * Detail and each Resource. The bus name and the JSON around them do not count.
 */
export const putEventsEntrySize = (entry: SizedEntry): number =>
  (entry.Time === undefined ? 0 : 14) +
  utf8(entry.Source) +
  utf8(entry.DetailType) +
  utf8(entry.Detail) +
  (entry.Resources ?? []).reduce((sum, resource) => sum + utf8(resource), 0);

export const domainEventSize = (event: DomainEvent): number =>
  putEventsEntrySize({
    Source: EVENT_SOURCE,
    DetailType: event.type,
    Detail: JSON.stringify(event.detail),
    Time: event.time,
  });

/**
 * Splits entries into PutEvents requests, in order: a request closes at 10 entries or when the next
 * entry would take it past 256 KB. An entry too big on its own gets a request of its own (and is
 * refused by EventBridge); publish-changes replaces such entities by a reference first.
 */
export const batchBySize = <T>(entries: T[], size: (entry: T) => number): T[][] => {
  const batches: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const entry of entries) {
    const entryBytes = size(entry);
    if (
      current.length > 0 &&
      (current.length >= PUT_EVENTS_MAX_ENTRIES || bytes + entryBytes > PUT_EVENTS_MAX_BYTES)
    ) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(entry);
    bytes += entryBytes;
  }
  if (current.length > 0) batches.push(current);
  return batches;
};
