import { describe, expect, it } from 'vitest';
import { isHeldOut, stableFraction, variantFor } from '../../shared/domain/assignment.ts';
import {
  buildReport,
  dayKey,
  matchingItems,
  totalsKey,
  upliftInterval,
  variantKey,
  weekOf,
} from '../../shared/domain/campaign-report.ts';

const ids = Array.from({ length: 20_000 }, (_, i) => `01CUSTOMER${String(i).padStart(16, '0')}`);
const campaign = (holdoutPercent: number) => ({
  id: '01JCAMPAIGN000000000000000',
  holdoutPercent,
  variants: [
    { name: 'A', weight: 3, message: { body: 'a' } },
    { name: 'B', weight: 1, message: { body: 'b' } },
  ],
});

describe('holdout and variant assignment', () => {
  it('is stable: the same campaign and customer always land in the same group', () => {
    const c = campaign(20);
    for (const id of ids.slice(0, 200)) {
      expect(isHeldOut(c, id)).toBe(isHeldOut({ ...c }, id));
      expect(variantFor(c, id)?.name).toBe(variantFor({ ...c }, id)?.name);
    }
    // A pinned value, so a change of the hash (which would reshuffle live control groups) fails here.
    // (sha256("holdout|c|x"), first four bytes big-endian, over 2^32.)
    expect(stableFraction('holdout', 'c', 'x')).toBeCloseTo(0.83798968, 8);
    expect(stableFraction('holdout', 'c', 'x')).not.toBe(stableFraction('variant', 'c', 'x'));
  });

  it('holds out about holdoutPercent of customers, none at 0', () => {
    const held = ids.filter((id) => isHeldOut(campaign(20), id)).length / ids.length;
    expect(held).toBeGreaterThan(0.19);
    expect(held).toBeLessThan(0.21);
    expect(ids.some((id) => isHeldOut(campaign(0), id))).toBe(false);
    // Raising the percentage only adds customers to the control group, never swaps them.
    const at10 = ids.filter((id) => isHeldOut(campaign(10), id));
    expect(at10.every((id) => isHeldOut(campaign(20), id))).toBe(true);
  });

  it('splits variants by weight, independently of the holdout draw', () => {
    const c = campaign(50);
    const a = ids.filter((id) => variantFor(c, id)?.name === 'A');
    expect(a.length / ids.length).toBeGreaterThan(0.73);
    expect(a.length / ids.length).toBeLessThan(0.77);
    // Within the control group the split is the same as outside it: the two hashes are independent.
    const heldA = a.filter((id) => isHeldOut(c, id)).length / a.length;
    expect(heldA).toBeGreaterThan(0.47);
    expect(heldA).toBeLessThan(0.53);
    const other = { ...c, id: '01JCAMPAIGN000000000000001' };
    expect(
      ids.slice(0, 500).filter((id) => isHeldOut(c, id) !== isHeldOut(other, id)).length,
    ).toBeGreaterThan(100);
  });
});

describe('goal matching', () => {
  const item = (sku: string, category: string, unitPrice = 10) => ({ sku, category, quantity: 1, unitPrice });
  const at = (days: number) => new Date(Date.parse('2026-11-01T00:00:00Z') + days * 86_400_000).toISOString();
  const exposure = (purchase: object) => ({
    sentAt: at(0),
    goal: { purchase, withinDays: 30 } as never,
    categories: ['table-tennis'],
  });
  const buy = (days: number, ...items: ReturnType<typeof item>[]) => ({ purchasedAt: at(days), items });

  it('counts only purchases after the message and within withinDays', () => {
    const e = exposure({});
    expect(matchingItems(e, buy(-1, item('X', 'y')))).toEqual([]);
    expect(matchingItems(e, buy(0, item('X', 'y')))).toEqual([]);
    expect(matchingItems(e, buy(1, item('X', 'y')))).toHaveLength(1);
    expect(matchingItems(e, buy(30, item('X', 'y')))).toHaveLength(1);
    expect(matchingItems(e, buy(30.01, item('X', 'y')))).toEqual([]);
  });

  it('filters by same category, skus or categories', () => {
    const basket = buy(
      2,
      item('PADDLE', 'table-tennis'),
      item('BALL', 'table-tennis'),
      item('SOCK', 'apparel'),
    );
    expect(matchingItems(exposure({ sameCategory: true }), basket).map((i) => i.sku)).toEqual([
      'PADDLE',
      'BALL',
    ]);
    expect(matchingItems(exposure({ skus: ['SOCK'] }), basket).map((i) => i.sku)).toEqual(['SOCK']);
    expect(matchingItems(exposure({ categories: ['apparel', 'golf'] }), basket).map((i) => i.sku)).toEqual([
      'SOCK',
    ]);
    expect(matchingItems(exposure({ skus: ['NONE'] }), basket)).toEqual([]);
  });
});

describe('uplift and its interval', () => {
  it('is the Wald interval of the difference of two proportions', () => {
    // 120/1000 vs 80/1000: diff 0.04, se = sqrt(.12*.88/1000 + .08*.92/1000) = 0.013380
    const ci = upliftInterval({ n: 1000, x: 120 }, { n: 1000, x: 80 });
    expect(ci.low).toBeCloseTo(0.04 - 1.96 * 0.01338, 3);
    expect(ci.high).toBeCloseTo(0.04 + 1.96 * 0.01338, 3);
    expect(ci.significant).toBe(true);
    expect(ci.enoughData).toBe(true);
  });

  it('does not call small samples significant', () => {
    const small = upliftInterval({ n: 10, x: 5 }, { n: 3, x: 0 });
    expect(small.enoughData).toBe(false);
    expect(small.significant).toBe(false);
    const none = upliftInterval({ n: 10, x: 5 }, { n: 0, x: 0 });
    expect(none.low).toBeNull();
  });
});

describe('the report from counter rows', () => {
  it('sums the shards, rounds the rates, fills the series and groups weeks from Monday', () => {
    const rows: { key: string; values: Record<string, number> }[] = [
      { key: totalsKey(0), values: { sent: 6, conversions: 2, revenue: 100.5, holdout: 3 } },
      { key: totalsKey(5), values: { sent: 3, conversions: 1, revenue: 0.25, holdoutConversions: 1 } },
      { key: variantKey('A', 1), values: { sent: 5, conversions: 2, replies: 1, satisfied: 1 } },
      { key: variantKey('A', 2), values: { sent: 1 } },
      { key: dayKey('2026-11-23', 0), values: { sent: 4, conversions: 1 } },
      { key: dayKey('2026-11-25', 3), values: { sent: 5, replies: 2 } },
      { key: dayKey('2026-12-01', 3), values: { conversions: 2 } },
    ];
    const report = buildReport(rows, { variantNames: ['A', 'B'], interval: 'day', timezone: 'UTC' });
    expect(report.totals).toMatchObject({
      sent: 9,
      holdout: 3,
      conversions: 3,
      conversionRate: 0.3333,
      revenue: 100.75,
      holdoutConversions: 1,
      holdoutConversionRate: 0.3333,
      uplift: 0,
    });
    expect(report.variants).toEqual([
      { name: 'A', sent: 6, conversions: 2, conversionRate: 0.3333, replies: 1, satisfied: 1 },
      { name: 'B', sent: 0, conversions: 0, conversionRate: 0, replies: 0, satisfied: 0 },
    ]);
    expect(report.series.map((s) => s.start)).toEqual([
      '2026-11-23',
      '2026-11-24',
      '2026-11-25',
      '2026-11-26',
      '2026-11-27',
      '2026-11-28',
      '2026-11-29',
      '2026-11-30',
      '2026-12-01',
    ]);
    const weekly = buildReport(rows, { variantNames: [], interval: 'week', timezone: 'UTC' }).series;
    expect(
      weekly.map(({ start, sent, replies, conversions }) => ({ start, sent, replies, conversions })),
    ).toEqual([
      { start: '2026-11-23', sent: 9, replies: 2, conversions: 1 },
      { start: '2026-11-30', sent: 0, replies: 0, conversions: 2 },
    ]);
    expect(weekOf('2026-11-29')).toBe('2026-11-23');
  });
});
