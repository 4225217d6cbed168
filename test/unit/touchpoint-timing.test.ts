import { describe, expect, it } from 'vitest';
import type { Campaign } from '../../shared/domain/campaign.ts';
import type { Customer } from '../../shared/domain/customer.ts';
import type { Purchase } from '../../shared/domain/purchase.ts';
import { planTouchpoints, touchpointId } from '../../shared/domain/touchpoint.ts';

const campaign = (overrides: Record<string, unknown>): Campaign => ({
  name: 'c',
  kind: 'lifecycle',
  channel: 'sms',
  survey: false,
  sendAt: '10:00',
  sendWindow: { start: '09:00', end: '20:00' },
  trigger: { timing: { afterPurchaseDays: 7 } },
  holdoutPercent: 0,
  message: { body: 'hi' },
  ...overrides,
  id: '01JCAMPAIGN000000000000000',
  status: 'active',
  createdAt: '',
  updatedAt: '',
  version: 1,
});

const purchase = (purchasedAt: string, items: Partial<Purchase['items'][number]>[] = [{}]): Purchase => ({
  id: '01JPURCHASE000000000000000',
  customerId: '01JCUSTOMER000000000000000',
  purchasedAt,
  items: items.map((item) => ({
    sku: 'PADDLE',
    quantity: 1,
    unitPrice: 1,
    name: 'Paddle',
    category: 'table-tennis',
    lifespanDays: 180,
    ...item,
  })),
  total: 1,
  createdAt: purchasedAt,
});

const customer = (timezone: string, extra: Partial<Customer> = {}): Customer =>
  ({
    id: '01JCUSTOMER000000000000000',
    name: 'n',
    timezone,
    interests: [],
    household: [],
    consent: { email: true, sms: true },
    tags: [],
    attributes: {},
    createdAt: '',
    updatedAt: '',
    version: 1,
    ...extra,
  }) as Customer;

const longAgo = new Date('2020-01-01T00:00:00Z');

describe('when touchpoints fire', () => {
  it.each([
    // [purchasedAt, zone, campaign, expected fire time (UTC)]
    ['2026-11-22T10:00:00+08:00', 'Asia/Shanghai', {}, '2026-11-29T02:00:00.000Z'],
    // Bought late at night UTC, but it is already the next day in Shanghai: day 7 counts from the local date.
    ['2026-11-22T20:00:00Z', 'Asia/Shanghai', {}, '2026-11-30T02:00:00.000Z'],
    ['2026-11-22T20:00:00Z', 'America/Los_Angeles', {}, '2026-11-29T18:00:00.000Z'],
    // Seven days later crosses New York's spring-forward: still 10:00 local, now EDT.
    ['2026-03-03T15:00:00Z', 'America/New_York', {}, '2026-03-10T14:00:00.000Z'],
    // sendAt inside New York's spring-forward gap (02:30 on 2026-03-08) moves forward to 03:30.
    [
      '2026-03-01T15:00:00Z',
      'America/New_York',
      { sendAt: '02:30', sendWindow: { start: '00:00', end: '23:59' } },
      '2026-03-08T07:30:00.000Z',
    ],
    // sendAt in Berlin's fall-back overlap (02:30 happens twice on 2026-10-25): the earlier, CEST.
    [
      '2026-10-18T10:00:00Z',
      'Europe/Berlin',
      { sendAt: '02:30', sendWindow: { start: '00:00', end: '23:59' } },
      '2026-10-25T00:30:00.000Z',
    ],
    // sendAt before the window moves to its start; at or after its end, to the next day's start.
    ['2026-11-22T10:00:00+08:00', 'Asia/Shanghai', { sendAt: '07:00' }, '2026-11-29T01:00:00.000Z'],
    ['2026-11-22T10:00:00+08:00', 'Asia/Shanghai', { sendAt: '21:00' }, '2026-11-30T01:00:00.000Z'],
    // 14 days before a 180-day lifespan ends: day 166.
    [
      '2026-11-22T10:00:00+08:00',
      'Asia/Shanghai',
      { trigger: { timing: { beforeLifespanEndDays: 14 } } },
      '2027-05-07T02:00:00.000Z',
    ],
    [
      '2026-06-01T12:00:00Z',
      'Australia/Sydney',
      { trigger: { timing: { afterPurchaseDays: 1 } } },
      '2026-06-02T00:00:00.000Z',
    ],
  ])('%s in %s %j → %s', (purchasedAt, zone, overrides, expected) => {
    const [touchpoint] = planTouchpoints(campaign(overrides), purchase(purchasedAt), customer(zone), longAgo);
    expect(touchpoint?.fireAt).toBe(expected);
  });
});

describe('which touchpoints a purchase earns', () => {
  it('filters by sku or category, once per sku, with a name derived from campaign, purchase and sku', () => {
    const c = campaign({
      trigger: { products: { categories: ['table-tennis'] }, timing: { afterPurchaseDays: 7 } },
    });
    const p = purchase('2026-11-22T02:00:00Z', [
      { sku: 'A' },
      { sku: 'A' },
      { sku: 'B', category: 'swimming' },
      { sku: 'C' },
    ]);
    const planned = planTouchpoints(c, p, customer('UTC'), longAgo);
    expect(planned.map((t) => t.sku)).toEqual(['A', 'C']);
    expect(planned[0]?.id).toBe(touchpointId(c.id, p.id, 'A'));
    expect(planned[0]?.id).toMatch(/^tp-[0-9a-f]{40}$/);
    expect(planTouchpoints(c, p, customer('UTC'), longAgo)[0]?.id).toBe(planned[0]?.id);
  });

  it('skips items without a lifespan for lifespan timing, an audience that does not match, and times already past', () => {
    const lifespan = campaign({ trigger: { timing: { beforeLifespanEndDays: 14 } } });
    expect(
      planTouchpoints(
        lifespan,
        purchase('2026-11-22T02:00:00Z', [{ lifespanDays: undefined }]),
        customer('UTC'),
        longAgo,
      ),
    ).toEqual([]);
    const climbers = campaign({ audience: { interests: ['mountaineering'] } });
    expect(planTouchpoints(climbers, purchase('2026-11-22T02:00:00Z'), customer('UTC'), longAgo)).toEqual([]);
    expect(
      planTouchpoints(
        climbers,
        purchase('2026-11-22T02:00:00Z'),
        customer('UTC', { interests: ['mountaineering'] }),
        longAgo,
      ),
    ).toHaveLength(1);
    expect(
      planTouchpoints(
        campaign({}),
        purchase('2026-11-22T02:00:00Z'),
        customer('UTC'),
        new Date('2027-01-01T00:00:00Z'),
      ),
    ).toEqual([]);
  });

  it('plans nothing for a paused campaign', () => {
    expect(
      planTouchpoints(
        { ...campaign({}), status: 'paused' },
        purchase('2026-11-22T02:00:00Z'),
        customer('UTC'),
        longAgo,
      ),
    ).toEqual([]);
  });
});
