import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { groupMarkOf } from '../../shared/adapters/dynamodb/repeat-group-marks.ts';
import {
  defaultFrom,
  groupAt,
  monthOf,
  monthsBetween,
  RepeatPurchasesQuery,
  repeatRate,
  wilsonInterval,
} from '../../shared/domain/repeat-purchases.ts';

describe('repeat purchases: months in the store’s time zone', () => {
  it('cuts months at local midnight, not at UTC midnight', () => {
    // 31 Jan 16:30 UTC is 1 Feb 00:30 in Shanghai and still 31 Jan 11:30 in New York.
    expect(monthOf('2026-01-31T16:30:00.000Z', 'Asia/Shanghai')).toBe('2026-02');
    expect(monthOf('2026-01-31T16:30:00.000Z', 'America/New_York')).toBe('2026-01');
    expect(monthOf('2026-01-31T15:59:59.999Z', 'Asia/Shanghai')).toBe('2026-01');
    // 1 Mar 03:00 UTC is still February in New York (UTC−5).
    expect(monthOf('2026-03-01T03:00:00.000Z', 'America/New_York')).toBe('2026-02');
  });

  it('lists every month of a range, across a year end, and defaults to a year of rows', () => {
    expect(monthsBetween('2025-11-15', '2026-02-03')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(monthsBetween('2026-06-01', '2026-05-31')).toEqual([]);
    expect(monthsBetween('2026-05-31', '2026-05-01')).toEqual(['2026-05']);
    expect(defaultFrom('2026-11-23')).toBe('2025-12-01');
    expect(defaultFrom('2026-12-01')).toBe('2026-01-01');
    expect(monthsBetween(defaultFrom('2026-11-23'), '2026-11-23')).toHaveLength(12);
  });

  it('rounds the repeat rate to 4 decimals and answers 0 when nobody bought', () => {
    expect(repeatRate(1, 3)).toBe(0.3333);
    expect(repeatRate(2, 3)).toBe(0.6667);
    expect(repeatRate(3, 3)).toBe(1);
    expect(repeatRate(0, 0)).toBe(0);
  });

  it('gives the 95% Wilson interval of a rate: wide for small groups, never outside 0–1', () => {
    // Known values of the Wilson interval: 1 of 2, 0 of 10, 10 of 10.
    expect(wilsonInterval(1, 2)).toEqual({ low: 0.0945, high: 0.9055 });
    expect(wilsonInterval(0, 10)).toEqual({ low: 0, high: 0.2775 });
    expect(wilsonInterval(10, 10)).toEqual({ low: 0.7225, high: 1 });
    // 30% of 1,000 is pinned down far better than 30% of 10.
    const large = wilsonInterval(300, 1000);
    const small = wilsonInterval(3, 10);
    expect(large.high - large.low).toBeLessThan(0.06);
    expect(small.high - small.low).toBeGreaterThan(0.45);
    expect(wilsonInterval(0, 0)).toEqual({ low: 0, high: 1 });
  });
});

describe('repeat purchases: groups', () => {
  const marks = { remindedAt: '2026-03-10T02:00:00.000Z', heldOutAt: '2026-02-01T02:00:00.000Z' };

  it('puts a purchase in the group the customer was in when they bought; reminded wins over held out', () => {
    expect(groupAt(marks, '2026-01-20T00:00:00.000Z')).toBeUndefined();
    expect(groupAt(marks, '2026-02-01T02:00:00.000Z')).toBe('heldOut');
    expect(groupAt(marks, '2026-03-10T01:59:59.000Z')).toBe('heldOut');
    expect(groupAt(marks, '2026-03-10T02:00:00.000Z')).toBe('reminded');
    expect(groupAt({ remindedAt: marks.remindedAt }, '2026-02-15T00:00:00.000Z')).toBeUndefined();
    expect(groupAt(undefined, '2026-02-15T00:00:00.000Z')).toBeUndefined();
  });

  let sequence = 0;
  const record = (next: Record<string, unknown>, previous?: Record<string, unknown>): DynamoDBRecord => ({
    eventID: `ev-${++sequence}`,
    eventName: previous ? 'MODIFY' : 'INSERT',
    dynamodb: {
      NewImage: marshall({ entityType: 'message', ...next }) as never,
      ...(previous ? { OldImage: marshall({ entityType: 'message', ...previous }) as never } : {}),
    },
  });
  const lifecycle = {
    customerId: 'c1',
    campaignId: 'k1',
    touchpointId: 'tp1',
    sentAt: '2026-03-10T02:00:00.000Z',
  };

  it('marks a customer when a lifecycle message reaches sent or holdout, once, and never for a broadcast', () => {
    expect(
      groupMarkOf(record({ ...lifecycle, status: 'sent' }, { ...lifecycle, status: 'deferred' })),
    ).toEqual({
      customerId: 'c1',
      mark: 'remindedAt',
      at: lifecycle.sentAt,
    });
    expect(groupMarkOf(record({ ...lifecycle, status: 'holdout' }))?.mark).toBe('heldOutAt');
    // Suppressed or failed messages reached nobody and held nobody out.
    expect(groupMarkOf(record({ ...lifecycle, status: 'failed' }))).toBeUndefined();
    expect(groupMarkOf(record({ ...lifecycle, status: 'deferred' }))).toBeUndefined();
    // An erasure keeps the status: no new mark.
    expect(
      groupMarkOf(record({ ...lifecycle, status: 'sent' }, { ...lifecycle, status: 'sent' })),
    ).toBeUndefined();
    const { touchpointId: _tp, ...broadcast } = lifecycle;
    expect(groupMarkOf(record({ ...broadcast, occurrence: 'o1', status: 'sent' }))).toBeUndefined();
    expect(
      groupMarkOf({
        ...record({ ...lifecycle, status: 'sent' }),
        dynamodb: { NewImage: marshall({ entityType: 'touchpoint', ...lifecycle, status: 'sent' }) as never },
      }),
    ).toBeUndefined();
  });
});

describe('repeat purchases: the query', () => {
  const errors = (query: Record<string, string>) => {
    const result = RepeatPurchasesQuery.safeParse(query);
    return result.success ? [] : result.error.issues.map((issue) => issue.path.join('.'));
  };

  it('takes a range of at most 36 months, from before to, of real dates, by month only', () => {
    expect(RepeatPurchasesQuery.parse({ from: '2026-01-01', to: '2026-12-31' })).toEqual({
      from: '2026-01-01',
      to: '2026-12-31',
      interval: 'month',
    });
    expect(errors({ from: '2024-01-01', to: '2026-12-31' })).toEqual([]);
    expect(errors({ from: '2023-12-31', to: '2026-12-31' })).toEqual(['from']);
    expect(errors({ from: '2026-02-01', to: '2026-01-31' })).toEqual(['to']);
    expect(errors({ from: '2026-02-30' })).toEqual(['from']);
    expect(errors({ to: 'yesterday' })).toEqual(['to']);
    expect(errors({ to: '2150-01-01' })).toEqual(['to']);
    expect(errors({ from: '1999-12-31' })).toEqual(['from']);
    expect(errors({ interval: 'week' })).toEqual(['interval']);
    expect(errors({ month: '2026-01' })).toEqual(['']);
  });
});
