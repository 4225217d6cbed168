import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { EventPattern } from '../../domain/event-pattern.ts';
import type { Cause, DomainEvent } from '../../events/domain-event.ts';
import { CAUSE_ATTRIBUTE, STORAGE_ATTRIBUTES } from './keys.ts';

/** Entities whose changes become domain events; index and bookkeeping items never do. */
export const PUBLISHED_ENTITIES = [
  'customer',
  'purchase',
  'opportunity',
  'order',
  'task',
  'campaign',
  'lead',
  'activity',
] as const;

/**
 * Lambda event filtering patterns (EventBridge syntax; a record passes when any one matches), so
 * index and bookkeeping items (tag items, ledger claims, counters, markers) are dropped before they
 * reach the publisher and cost no invocation. The local stream poller applies the same patterns.
 */
export const PUBLISHED_RECORD_FILTERS: EventPattern[] = [
  { dynamodb: { NewImage: { entityType: { S: [...PUBLISHED_ENTITIES] } } } },
  { eventName: ['REMOVE'], dynamodb: { OldImage: { entityType: { S: [...PUBLISHED_ENTITIES] } } } },
];

/** Bookkeeping that changes on every write and would make every update look like a change. */
const NOT_A_CHANGE = new Set(['updatedAt', 'version']);
const VERB = { INSERT: 'created', MODIFY: 'updated', REMOVE: 'deleted' } as const;

/**
 * A lead's update is named for what happened to it, so automation rules can say `lead.won`:
 * closing wins over changing hands, which wins over a new grade.
 */
const leadVerb = (previous: Record<string, unknown>, next: Record<string, unknown>): string => {
  if (next.status !== previous.status && (next.status === 'won' || next.status === 'lost'))
    return next.status;
  if (next.ownerId !== previous.ownerId || next.pool !== previous.pool || next.queue !== previous.queue)
    return 'reassigned';
  if (next.grade !== previous.grade) return 'graded';
  return 'updated';
};

const clean = (image: Record<string, unknown>) => {
  const entity: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(image)) {
    if (!STORAGE_ATTRIBUTES.has(key)) entity[key] = value;
  }
  return entity;
};

const changedFields = (
  previous: Record<string, unknown> | undefined,
  next: Record<string, unknown> | undefined,
) => {
  const keys = new Set([...Object.keys(previous ?? {}), ...Object.keys(next ?? {})]);
  return [...keys]
    .filter(
      (key) => !NOT_A_CHANGE.has(key) && JSON.stringify(previous?.[key]) !== JSON.stringify(next?.[key]),
    )
    .sort();
};

/** Maps one stream record to a domain event, or undefined when the item is not a published entity. */
export const toDomainEvent = (record: DynamoDBRecord): DomainEvent | undefined => {
  const eventName = record.eventName;
  const images = record.dynamodb;
  if (!eventName || !images) return undefined;
  const newImage = images.NewImage
    ? unmarshall(images.NewImage as Record<string, AttributeValue>)
    : undefined;
  const oldImage = images.OldImage
    ? unmarshall(images.OldImage as Record<string, AttributeValue>)
    : undefined;
  const entityType = (newImage ?? oldImage)?.entityType;
  if (!(PUBLISHED_ENTITIES as readonly unknown[]).includes(entityType)) return undefined;

  const entity = clean((newImage ?? oldImage) as Record<string, unknown>);
  const previous = newImage && oldImage ? clean(oldImage) : undefined;
  const changed = changedFields(oldImage && clean(oldImage), newImage && clean(newImage));
  if (eventName === 'MODIFY' && changed.length === 0) return undefined;
  const verb =
    entityType === 'purchase' && eventName === 'INSERT'
      ? 'recorded'
      : entityType === 'lead' && eventName === 'MODIFY' && oldImage && newImage
        ? leadVerb(oldImage, newImage)
        : VERB[eventName];
  const cause = newImage?.[CAUSE_ATTRIBUTE] as Cause | undefined;
  const created = images.ApproximateCreationDateTime;
  return {
    type: `${entityType}.${verb}`,
    time: created ? new Date(created * 1000).toISOString() : new Date().toISOString(),
    detail: {
      eventId: record.eventID ?? `${images.SequenceNumber}`,
      entity,
      ...(previous ? { previous } : {}),
      changed,
      ...(cause ? { cause } : {}),
    },
  };
};
