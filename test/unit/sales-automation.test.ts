import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { toDomainEvent } from '../../shared/adapters/dynamodb/stream-mapping.ts';
import { AutomationRuleInput } from '../../shared/domain/automation-rule.ts';
import { endOfBusinessDay, inBusinessHours } from '../../shared/domain/business-hours.ts';
import { defaultSalesSettings, type Lead, SalesSettings } from '../../shared/domain/lead.ts';
import { reachedStages, salesCounterDeltas } from '../../shared/domain/sales-counters.ts';
import { regrade } from '../../shared/use-cases/lead-callbacks.ts';
import { periodOf } from '../../shared/use-cases/sales-reports.ts';

const ZONE = 'Asia/Shanghai';

const lead: Lead = {
  id: 'L1',
  customerId: 'C1',
  interest: 'SUV',
  grade: 'A',
  gradeSince: '2026-11-23T02:00:00.000Z',
  status: 'open',
  ownerId: 'u-li',
  source: 'walk-in',
  companions: [],
  recordedFor: 'u-li',
  initialGrade: 'A',
  improvedAt: '2026-11-23T02:00:00.000Z',
  staleCount: 0,
  createdAt: '2026-11-23T02:00:00.000Z',
  updatedAt: '2026-11-23T02:00:00.000Z',
  version: 1,
};

const sum = (deltas: { partition: string; key: string; field: string; n: number }[]) => {
  const totals: Record<string, number> = {};
  for (const d of deltas)
    totals[`${d.partition}|${d.key}|${d.field}`] = (totals[`${d.partition}|${d.key}|${d.field}`] ?? 0) + d.n;
  return Object.fromEntries(Object.entries(totals).filter(([, n]) => n !== 0));
};

describe('business hours (09:00–18:00, Monday to Friday, in the customer zone)', () => {
  it('keeps an instant inside them and moves one outside to the next opening', () => {
    expect(inBusinessHours(new Date('2026-11-23T03:00:00Z'), ZONE).toISOString()).toBe(
      '2026-11-23T03:00:00.000Z',
    );
    // Monday 07:30 in Shanghai → 09:00 the same day.
    expect(inBusinessHours(new Date('2026-11-22T23:30:00Z'), ZONE).toISOString()).toBe(
      '2026-11-23T01:00:00.000Z',
    );
    // Friday 19:00 → Monday 09:00.
    expect(inBusinessHours(new Date('2026-11-27T11:00:00Z'), ZONE).toISOString()).toBe(
      '2026-11-30T01:00:00.000Z',
    );
    // Saturday noon → Monday 09:00; in New York the same instant is Friday night → Monday 09:00 EST.
    expect(inBusinessHours(new Date('2026-11-28T04:00:00Z'), ZONE).toISOString()).toBe(
      '2026-11-30T01:00:00.000Z',
    );
    expect(inBusinessHours(new Date('2026-11-28T04:00:00Z'), 'America/New_York').toISOString()).toBe(
      '2026-11-30T14:00:00.000Z',
    );
    expect(endOfBusinessDay(new Date('2026-11-23T03:00:00Z'), ZONE).toISOString()).toBe(
      '2026-11-23T10:00:00.000Z',
    );
  });
});

describe('sales settings', () => {
  it('accepts the default ladder and names what is wrong with a bad one', () => {
    expect(SalesSettings.safeParse(defaultSalesSettings).success).toBe(true);
    const bad = SalesSettings.safeParse({
      grades: [
        { code: 'H', label: 'x', onStale: 'pool' },
        { code: 'H', label: 'y', onStale: 'reassign', pool: 'nowhere' },
      ],
      pools: [],
    });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.path.join('.'))).toEqual(
      expect.arrayContaining(['grades.0.pool', 'grades.1.code', 'grades.1.pool', 'pools']),
    );
  });

  it('regrades up (restarting the staleness clock) or down (not)', () => {
    const later = '2026-12-01T02:00:00.000Z';
    expect(regrade(defaultSalesSettings, lead, 'H', later)).toMatchObject({
      grade: 'H',
      gradeSince: later,
      improvedAt: later,
      lastGradeChange: 'up',
    });
    const down = regrade(defaultSalesSettings, lead, 'B', later);
    expect(down).toMatchObject({ grade: 'B', lastGradeChange: 'down', improvedAt: lead.improvedAt });
    expect(regrade(defaultSalesSettings, lead, 'A', later)).toBe(lead);
  });
});

describe('report counters from events', () => {
  it('count a new lead for its owner on its Shanghai day, and its open grade', () => {
    const deltas = sum(salesCounterDeltas('lead.created', { entity: lead }, ZONE));
    expect(deltas).toEqual({
      'sales#2026-11|2026-11-23#u-li|newLeads': 1,
      'grades|u-li|grade:A': 1,
      'sources#2026-11|2026-11-23#walk-in#A|leads': 1,
    });
  });

  it('move the open-grade count, count the upgrade once, and the win on the day it closed', () => {
    const upgraded = {
      ...lead,
      grade: 'H',
      gradeSince: '2026-11-24T17:00:00.000Z',
      lastGradeChange: 'up' as const,
    };
    expect(sum(salesCounterDeltas('lead.graded', { entity: upgraded, previous: lead }, ZONE))).toEqual({
      'grades|u-li|grade:A': -1,
      'grades|u-li|grade:H': 1,
      // 17:00 UTC on the 24th is the 25th in Shanghai.
      'sales#2026-11|2026-11-25#u-li|upgrades': 1,
    });
    const won = { ...upgraded, status: 'won' as const, closedAt: '2026-11-30T16:30:00.000Z' };
    expect(sum(salesCounterDeltas('lead.won', { entity: won, previous: upgraded }, ZONE))).toEqual({
      'grades|u-li|grade:H': -1,
      'sales#2026-12|2026-12-01#u-li|won': 1,
      'sources#2026-11|2026-11-23#walk-in#A|won': 1,
    });
  });

  it('count callbacks due, done and overdue from the task state, and nothing for a cancelled one', () => {
    const task = {
      id: 'T1',
      type: 'callback',
      customerId: 'C1',
      title: 't',
      reason: 'r',
      assigneeId: 'u-li',
      dueAt: '2026-11-30T01:00:00.000Z',
      status: 'open' as const,
      createdAt: lead.createdAt,
      updatedAt: lead.createdAt,
      version: 1,
    };
    expect(sum(salesCounterDeltas('task.created', { entity: task }, ZONE))).toEqual({
      'sales#2026-11|2026-11-30#u-li|callbacksDue': 1,
    });
    const late = { ...task, status: 'done' as const, closedAt: '2026-12-01T03:00:00.000Z', version: 2 };
    expect(sum(salesCounterDeltas('task.updated', { entity: late, previous: task }, ZONE))).toEqual({
      'sales#2026-12|2026-12-01#u-li|callbacksDone': 1,
      'sales#2026-11|2026-11-30#u-li|callbacksOverdue': 1,
    });
    const cancelled = { ...task, status: 'cancelled' as const, closedAt: task.createdAt, version: 2 };
    expect(sum(salesCounterDeltas('task.updated', { entity: cancelled, previous: task }, ZONE))).toEqual({
      'sales#2026-11|2026-11-30#u-li|callbacksDue': -1,
    });
    expect(
      sum(salesCounterDeltas('task.created', { entity: { ...task, type: 'follow-up-call' } }, ZONE)),
    ).toEqual({});
    // Marked overdue by the sweep while open, then cancelled: it stays overdue on its due day.
    const marked = { ...task, overdueAt: '2026-11-30T16:05:00.000Z', version: 2 };
    expect(sum(salesCounterDeltas('task.updated', { entity: marked, previous: task }, ZONE))).toEqual({
      'sales#2026-11|2026-11-30#u-li|callbacksOverdue': 1,
    });
    const dropped = { ...marked, status: 'cancelled' as const, closedAt: marked.overdueAt, version: 3 };
    expect(sum(salesCounterDeltas('task.updated', { entity: dropped, previous: marked }, ZONE))).toEqual({
      'sales#2026-11|2026-11-30#u-li|callbacksDue': -1,
    });
  });

  it('add up the funnel: lost opportunities reached the stage they were lost at', () => {
    expect(reachedStages({ stage: 'won' })).toEqual(['qualification', 'demo', 'quote', 'contract', 'won']);
    expect(reachedStages({ stage: 'lost', lostFromStage: 'demo' })).toEqual(['qualification', 'demo']);
    expect(reachedStages({ stage: 'quote' })).toEqual(['qualification', 'demo', 'quote']);
  });
});

describe('report periods', () => {
  it('runs weeks Monday to Sunday and months to their last day', () => {
    expect(periodOf('week', '2026-11-26')).toEqual({ from: '2026-11-23', to: '2026-11-29' });
    expect(periodOf('week', '2026-11-29')).toEqual({ from: '2026-11-23', to: '2026-11-29' });
    expect(periodOf('month', '2026-02-10')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(periodOf('day', '2026-11-26')).toEqual({ from: '2026-11-26', to: '2026-11-26' });
  });
});

describe('lead events', () => {
  const record = (old: Record<string, unknown>, next: Record<string, unknown>): DynamoDBRecord => ({
    eventID: 'e1',
    eventName: 'MODIFY',
    dynamodb: {
      SequenceNumber: '1',
      OldImage: marshall({ pk: 'LEAD#L1', sk: 'LEAD', entityType: 'lead', ...old }) as never,
      NewImage: marshall({ pk: 'LEAD#L1', sk: 'LEAD', entityType: 'lead', ...next }) as never,
    },
  });
  it('are named for what happened: won/lost over reassigned over graded', () => {
    const base = { id: 'L1', status: 'open', grade: 'A', ownerId: 'u-li', version: 1 };
    expect(toDomainEvent(record(base, { ...base, grade: 'H' }))?.type).toBe('lead.graded');
    expect(toDomainEvent(record(base, { ...base, ownerId: 'u-wang', grade: 'H' }))?.type).toBe(
      'lead.reassigned',
    );
    expect(toDomainEvent(record(base, { ...base, status: 'won', ownerId: 'u-wang' }))?.type).toBe('lead.won');
    expect(toDomainEvent(record(base, { ...base, status: 'lost' }))?.type).toBe('lead.lost');
    expect(toDomainEvent(record(base, { ...base, note: 'x' }))?.type).toBe('lead.updated');
  });

  it('routeLead rules need a lead event and exactly one of pool or ownerId', async () => {
    const rule = (on: string, action: Record<string, unknown>) =>
      AutomationRuleInput.safeParseAsync({ name: 'r', on, do: [{ type: 'routeLead', ...action }] });
    expect((await rule('lead.created', { pool: 'zhejiang' })).success).toBe(true);
    const wrongEvent = await rule('customer.created', { pool: 'zhejiang' });
    expect(wrongEvent.error?.issues[0]?.path).toEqual(['do', 0, 'type']);
    const both = await rule('lead.created', { pool: 'zhejiang', ownerId: 'u-li' });
    expect(both.error?.issues[0]?.path).toEqual(['do', 0, 'pool']);
  });
});
