import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { toDomainEvent } from '../../shared/adapters/dynamodb/stream-mapping.ts';

const record = (
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE',
  images: { old?: Record<string, unknown>; new?: Record<string, unknown> },
  sequence = '100',
): DynamoDBRecord => ({
  eventID: `event-${sequence}`,
  eventName,
  dynamodb: {
    ApproximateCreationDateTime: 1_795_000_000,
    SequenceNumber: sequence,
    ...(images.new ? { NewImage: marshall(images.new) as never } : {}),
    ...(images.old ? { OldImage: marshall(images.old) as never } : {}),
  },
});

const customer = {
  pk: 'CUSTOMER#1',
  sk: 'PROFILE',
  gsi2pk: 'TYPE#customer',
  gsi2sk: '1',
  entityType: 'customer',
  id: '1',
  name: 'Li Lei',
  region: 'Beijing',
  version: 1,
  updatedAt: 'a',
};

describe('stream record → domain event', () => {
  it('maps an insert to <entity>.created without storage attributes, with a stable id', () => {
    const event = toDomainEvent(record('INSERT', { new: customer }));
    expect(event?.type).toBe('customer.created');
    expect(event?.detail.eventId).toBe('event-100');
    expect(event?.detail.entity).toEqual({
      id: '1',
      name: 'Li Lei',
      region: 'Beijing',
      version: 1,
      updatedAt: 'a',
    });
    expect(event?.detail.previous).toBeUndefined();
    expect(event?.time).toBe(new Date(1_795_000_000_000).toISOString());
  });

  it('names the changed fields of an update and carries the previous image', () => {
    const event = toDomainEvent(
      record('MODIFY', {
        old: customer,
        new: { ...customer, region: 'Shanghai', tags: ['vip'], version: 2, updatedAt: 'b' },
      }),
    );
    expect(event?.type).toBe('customer.updated');
    expect(event?.detail.changed).toEqual(['region', 'tags']);
    expect(event?.detail.previous?.region).toBe('Beijing');
  });

  it('drops an update that changed nothing but bookkeeping', () => {
    expect(
      toDomainEvent(record('MODIFY', { old: customer, new: { ...customer, version: 2, updatedAt: 'b' } })),
    ).toBeUndefined();
  });

  it('calls a new purchase recorded and a removal deleted', () => {
    const purchase = {
      pk: 'CUSTOMER#1',
      sk: 'PURCHASE#2',
      entityType: 'purchase',
      id: '2',
      customerId: '1',
      total: 399,
    };
    expect(toDomainEvent(record('INSERT', { new: purchase }))?.type).toBe('purchase.recorded');
    expect(toDomainEvent(record('REMOVE', { old: customer }))?.type).toBe('customer.deleted');
  });

  it('carries the cause an automation rule wrote, but not as a field of the entity', () => {
    const cause = { ruleId: 'r1', eventId: 'e0', depth: 1 };
    const event = toDomainEvent(
      record('MODIFY', { old: customer, new: { ...customer, ownerId: 'u-wang', _cause: cause } }),
    );
    expect(event?.detail.cause).toEqual(cause);
    expect(event?.detail.entity).not.toHaveProperty('_cause');
    expect(event?.detail.changed).toEqual(['ownerId']);
  });

  it('ignores items that are not published entities', () => {
    expect(
      toDomainEvent(record('INSERT', { new: { pk: 'PHONE#+86', sk: 'PHONE', customerId: '1' } })),
    ).toBeUndefined();
    expect(
      toDomainEvent(
        record('INSERT', { new: { pk: 'IDEMPOTENCY#x', sk: 'IDEMPOTENCY', status: 'in-progress' } }),
      ),
    ).toBeUndefined();
    expect(
      toDomainEvent(record('INSERT', { new: { pk: 'PRODUCT#A', sk: 'PRODUCT', entityType: 'product' } })),
    ).toBeUndefined();
  });
});
