import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { tallyCampaigns } from '../../shared/adapters/dynamodb/tally-campaigns.ts';
import type { Campaign } from '../../shared/domain/campaign.ts';
import type { BusEvent } from '../../shared/events/domain-event.ts';
import type { CrmDependencies } from '../../shared/ports/dependencies.ts';
import { campaignReport, recordConversions } from '../../shared/use-cases/record-conversions.ts';
import { fixedClock, freshTable } from '../support/table.ts';

let deps: CrmDependencies;
const campaignId = '01JCAMPAIGNCONVERSION00000';
const customer = (n: number) => `01CUSTOMER${String(n).padStart(16, '0')}`;

beforeAll(async () => {
  ({ deps } = await freshTable(fixedClock('2026-11-22T02:00:00.000Z')));
  const campaign: Campaign = {
    id: campaignId,
    name: 'Ball offer',
    kind: 'broadcast',
    channel: 'sms',
    survey: false,
    schedule: { at: '2026-11-22T02:00:00.000Z' },
    sendAt: '10:00',
    sendWindow: { start: '09:00', end: '20:00' },
    holdoutPercent: 50,
    goal: { purchase: { categories: ['table-tennis'] }, withinDays: 7 },
    variants: [
      { name: 'A', weight: 1, message: { body: 'a' } },
      { name: 'B', weight: 1, message: { body: 'b' } },
    ],
    status: 'active',
    createdAt: '2026-11-22T00:00:00.000Z',
    updatedAt: '2026-11-22T00:00:00.000Z',
    version: 1,
  };
  await deps.campaigns.create(campaign);
});

let sequence = 0;
const messageRecord = (n: number, status: 'sent' | 'holdout', variant: string): DynamoDBRecord => ({
  eventID: `msg-${++sequence}`,
  eventName: 'MODIFY',
  dynamodb: {
    NewImage: marshall({
      entityType: 'message',
      id: `m-${n}`,
      campaignId,
      customerId: customer(n),
      channel: 'sms',
      status,
      variant,
      sentAt: '2026-11-22T02:00:00.000Z',
      attempts: 1,
    }) as never,
    OldImage: marshall({ entityType: 'message', campaignId, status: 'deferred' }) as never,
  },
});

const purchaseEvent = (n: number, id: string, purchasedAt: string, category: string, unitPrice = 100) =>
  ({
    'detail-type': 'purchase.recorded',
    detail: {
      eventId: `ev-${id}`,
      entity: {
        id,
        customerId: customer(n),
        purchasedAt,
        items: [{ sku: 'BALL', quantity: 2, unitPrice, name: 'Ball', category }],
        total: 2 * unitPrice,
      },
      changed: [],
    },
  }) as unknown as BusEvent;

describe('conversions from purchase events', () => {
  it('counts each exposure once, a conversion once under duplicate events, and the counters exactly', async () => {
    // Customers 0-5 sent (0-2 variant A, 3-5 variant B), 6-9 held out; the batch arrives twice.
    const batch = [
      ...[0, 1, 2].map((n) => messageRecord(n, 'sent', 'A')),
      ...[3, 4, 5].map((n) => messageRecord(n, 'sent', 'B')),
      ...[6, 7, 8, 9].map((n) => messageRecord(n, 'holdout', n % 2 ? 'A' : 'B')),
    ];
    await tallyCampaigns(deps, batch);
    await tallyCampaigns(deps, batch);

    const inWindow = '2026-11-24T03:00:00.000Z';
    const events = [
      purchaseEvent(0, '01PURCHASE0000000000000000', inWindow, 'table-tennis'), // A converts
      purchaseEvent(0, '01PURCHASE0000000000000001', inWindow, 'table-tennis'), // second purchase: no
      purchaseEvent(3, '01PURCHASE0000000000000002', inWindow, 'apparel'), // wrong category: no
      purchaseEvent(4, '01PURCHASE0000000000000003', '2026-11-29T01:00:00.000Z', 'table-tennis', 50), // B, just within 7 days
      purchaseEvent(5, '01PURCHASE0000000000000004', '2026-12-01T03:00:00.000Z', 'table-tennis'), // too late
      purchaseEvent(6, '01PURCHASE0000000000000005', inWindow, 'table-tennis', 30), // holdout converts
      purchaseEvent(7, '01PURCHASE0000000000000006', '2026-11-21T03:00:00.000Z', 'table-tennis'), // before
    ];
    // Every event delivered twice, the copies at the same time. Customer 0's first purchase arrives
    // before the second: conversions follow arrival order (README), so the first one converts.
    const [first, ...rest] = events as BusEvent[];
    await Promise.all([first, first].map((event) => recordConversions(deps, event as BusEvent)));
    await Promise.all([...rest, ...rest].map((event) => recordConversions(deps, event)));
    await recordConversions(deps, events[0] as BusEvent);

    const report = await campaignReport(deps, campaignId, 'day');
    expect(report.totals).toEqual({
      sent: 6,
      holdout: 4,
      conversions: 2,
      conversionRate: 0.3333,
      revenue: 300,
      holdoutConversions: 1,
      holdoutConversionRate: 0.25,
      uplift: 0.0833,
      holdoutRevenue: 60,
    });
    expect(report.variants).toEqual([
      { name: 'A', sent: 3, conversions: 1, conversionRate: 0.3333, replies: 0, satisfied: 0 },
      { name: 'B', sent: 3, conversions: 1, conversionRate: 0.3333, replies: 0, satisfied: 0 },
    ]);
    const byDay = Object.fromEntries(report.series.map((s) => [s.start, s]));
    expect(byDay['2026-11-22']).toMatchObject({ sent: 6, holdout: 4, conversions: 0 });
    expect(byDay['2026-11-24']).toMatchObject({ conversions: 1, holdoutConversions: 1 });
    expect(byDay['2026-11-29']).toMatchObject({ conversions: 1 });
    expect(report.confidence.enoughData).toBe(false);

    const exposure = await deps.exposures.get(customer(0), campaignId);
    expect(exposure?.convertedBy).toBe('01PURCHASE0000000000000000');
  });

  it('counts a reply under the variant the customer got', async () => {
    const reply = (id: string): DynamoDBRecord => ({
      eventID: id,
      eventName: 'INSERT',
      dynamodb: {
        NewImage: marshall({
          entityType: 'satisfaction',
          id: 'sat-1',
          surveyId: 'm-1',
          customerId: customer(1),
          campaignId,
          score: 'satisfied',
          receivedAt: '2026-11-22T05:00:00.000Z',
        }) as never,
      },
    });
    await tallyCampaigns(deps, [reply('sat-ev-1')]);
    await tallyCampaigns(deps, [reply('sat-ev-1')]);
    const report = await campaignReport(deps, campaignId, 'week');
    expect(report.variants.find((v) => v.name === 'A')).toMatchObject({ replies: 1, satisfied: 1 });
    expect(report.series[0]).toMatchObject({ start: '2026-11-16', sent: 6, replies: 1 });
  });
});
