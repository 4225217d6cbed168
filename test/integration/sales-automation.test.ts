import { describe, expect, it } from 'vitest';
import type { Principal } from '../../shared/domain/principal.ts';
import { claimLead, sweepStaleLeads } from '../../shared/use-cases/lead-handover.ts';
import { createLead } from '../../shared/use-cases/leads.ts';
import { countSalesEvent } from '../../shared/use-cases/sales-reports.ts';
import { fixedClock, freshTable } from '../support/table.ts';

const li: Principal = { sub: 'u-li', roles: ['sales'] };
const DAY = 86_400_000;

const setUp = async () => {
  const clock = fixedClock('2026-11-23T02:00:00.000Z');
  const { deps } = await freshTable(clock);
  const later = (days: number) =>
    clock.set(new Date(Date.parse('2026-11-23T02:00:00.000Z') + days * DAY).toISOString());
  return { deps, clock, later };
};

describe('the daily sweep', () => {
  it('takes a stale lead once: a second run the same day changes nothing', async () => {
    const { deps, later } = await setUp();
    const lead = await createLead(deps, li, {
      customer: { name: 'Zhang' } as never,
      source: 'walk-in',
      interest: 'SUV',
      grade: 'H',
      companions: [],
    });
    later(89);
    expect(await sweepStaleLeads(deps)).toMatchObject({ reassigned: 0, pooled: 0, skipped: 0 });
    later(91);
    expect(await sweepStaleLeads(deps)).toMatchObject({ reassigned: 1, pooled: 0, skipped: 0 });
    const taken = await deps.leads.get(lead.id);
    expect(taken).toMatchObject({ queue: 'manager', staleCount: 1 });
    expect(taken?.ownerId).toBeUndefined();
    const tasksBefore = await deps.tasks.list({ customerId: lead.customerId }, { limit: 100 });

    expect(await sweepStaleLeads(deps)).toMatchObject({ reassigned: 0, pooled: 0, skipped: 0 });
    expect((await deps.leads.get(lead.id))?.version).toBe(taken?.version);
    expect(await deps.tasks.list({ customerId: lead.customerId }, { limit: 100 })).toEqual(tasksBefore);
    expect((await deps.leads.activities(lead.id, { limit: 100 })).items.map((a) => a.type)).toEqual([
      'reassigned',
    ]);
  });

  it('two runs at once take the lead once, with one activity and one assignment task', async () => {
    const { deps, later } = await setUp();
    const lead = await createLead(deps, li, {
      customer: { name: 'Qian' } as never,
      source: 'phone',
      interest: 'MPV',
      grade: 'H',
      companions: [],
    });
    later(95);
    const results = await Promise.all([sweepStaleLeads(deps), sweepStaleLeads(deps), sweepStaleLeads(deps)]);
    expect(results.reduce((n, r) => n + r.reassigned, 0)).toBe(1);
    expect((await deps.leads.activities(lead.id, { limit: 100 })).items).toHaveLength(1);
    const tasks = (await deps.tasks.list({ customerId: lead.customerId }, { limit: 100 })).items;
    expect(tasks.filter((t) => t.type === 'assignment')).toHaveLength(1);
    expect(tasks.filter((t) => t.type === 'callback' && t.status === 'open')).toHaveLength(0);
  });
});

describe('pools', () => {
  it('let exactly one of many simultaneous claims win; the rest get 409', async () => {
    const { deps } = await setUp();
    const marketer: Principal = { sub: 'u-mkt', roles: ['marketer'] };
    const lead = await createLead(deps, marketer, {
      customer: { name: 'Sun' } as never,
      source: 'web',
      interest: 'EV',
      grade: 'B',
      companions: [],
    });
    expect(lead.pool).toBe('marketing');
    const claims = await Promise.allSettled(
      ['u-a', 'u-b', 'u-c', 'u-d'].map((sub) => claimLead(deps, { sub, roles: ['sales'] }, lead.id)),
    );
    expect(claims.filter((c) => c.status === 'fulfilled')).toHaveLength(1);
    for (const c of claims.filter((c) => c.status === 'rejected'))
      expect((c.reason as { status: number }).status).toBe(409);
  });
});

describe('report counters', () => {
  it('apply an event once, however often (and however concurrently) it is delivered', async () => {
    const { deps } = await setUp();
    const event = {
      version: '0' as const,
      id: 'bus-1',
      'detail-type': 'activity.created',
      source: 'crm',
      account: '0',
      time: '2026-11-23T02:00:00Z',
      region: 'local',
      resources: [],
      detail: {
        eventId: 'stream-record-1',
        entity: {
          id: 'A1',
          leadId: 'L1',
          customerId: 'C1',
          type: 'call',
          at: '2026-11-23T02:00:00.000Z',
          ownerId: 'u-li',
          actorId: 'u-li',
          createdAt: '2026-11-23T02:00:00.000Z',
        },
        changed: [],
      },
    };
    const results = await Promise.allSettled([1, 2, 3].map(() => countSalesEvent(deps, event)));
    await countSalesEvent(deps, event).catch(() => undefined);
    expect(results.filter((r) => r.status === 'fulfilled' && r.value === 'applied')).toHaveLength(1);
    const rows = await deps.counters.read('sales#2026-11');
    expect(rows).toEqual([{ key: '2026-11-23#u-li', values: { call: 1 } }]);
  });
});
