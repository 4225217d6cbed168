import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { tallyCampaigns } from '../../shared/adapters/dynamodb/tally-campaigns.ts';
import type { BusEvent } from '../../shared/events/domain-event.ts';
import type { CrmDependencies } from '../../shared/ports/dependencies.ts';
import { countRepeatPurchase, repeatPurchasesReport } from '../../shared/use-cases/repeat-purchases.ts';
import { fixedClock, freshTable } from '../support/table.ts';

/**
 * The repeat-purchase counters on DynamoDB Local, fed as AWS feeds them: message changes through
 * the campaign counters' stream reader, purchases as `purchase.recorded` bus events, both at least
 * once and in any order. The store is in Shanghai (test/support/table.ts).
 */
let deps: CrmDependencies;
beforeAll(async () => {
  ({ deps } = await freshTable(fixedClock('2026-11-22T02:00:00.000Z')));
});

let sequence = 0;
const messageRecord = (customerId: string, status: 'sent' | 'holdout', sentAt: string): DynamoDBRecord => ({
  eventID: `msg-${++sequence}`,
  eventName: 'MODIFY',
  dynamodb: {
    NewImage: marshall({
      entityType: 'message',
      id: `tp-${sequence}`,
      campaignId: '01JREPEATCAMPAIGN000000000',
      customerId,
      touchpointId: `tp-${sequence}`,
      channel: 'sms',
      status,
      sentAt,
      attempts: status === 'sent' ? 1 : 0,
    }) as never,
    OldImage: marshall({ entityType: 'message', customerId, status: 'deferred' }) as never,
  },
});

const purchase = (customerId: string, id: string, purchasedAt: string): BusEvent => ({
  version: '0',
  id: `bus-${id}`,
  'detail-type': 'purchase.recorded',
  source: 'crm',
  account: '000000000000',
  time: purchasedAt,
  region: 'local',
  resources: [],
  detail: {
    eventId: `stream-${id}`,
    entity: { id, customerId, purchasedAt, items: [], total: 10, createdAt: purchasedAt },
    changed: [],
  },
});

const report = (from: string, to: string) => repeatPurchasesReport(deps, { from, to, interval: 'month' });
const month = async (start: string) =>
  (await report(start, start)).items.find((item) => item.start === start) as {
    reminded: { buyers: number; repeatBuyers: number };
    heldOut: { buyers: number; repeatBuyers: number };
  };

describe('repeat-purchase counters', () => {
  it('counts each customer once per month however often a purchase or a message is delivered', async () => {
    const sent = messageRecord('c-dup', 'sent', '2026-01-05T02:00:00.000Z');
    // The stream redelivers a batch; the same message record arrives twice.
    await tallyCampaigns(deps, [sent, sent]);
    await tallyCampaigns(deps, [sent]);
    const first = purchase('c-dup', 'p-dup-1', '2026-01-10T04:00:00.000Z');
    const second = purchase('c-dup', 'p-dup-2', '2026-01-20T04:00:00.000Z');
    // EventBridge delivers at least once, and retries run in parallel with the original.
    await Promise.all([countRepeatPurchase(deps, first), countRepeatPurchase(deps, first)]);
    await countRepeatPurchase(deps, first);
    await Promise.all([countRepeatPurchase(deps, second), countRepeatPurchase(deps, second)]);
    await countRepeatPurchase(deps, first);
    expect(await month('2026-01-01')).toMatchObject({
      start: '2026-01-01',
      reminded: { buyers: 1, repeatBuyers: 1, repeatRate: 1 },
      heldOut: { buyers: 0, repeatBuyers: 0, repeatRate: 0 },
    });
  });

  it('puts each purchase in the group its customer was in when they bought', async () => {
    // c-rem: reminded 1 Mar; c-hold: held out 1 Mar; c-both: held out 1 Mar, reminded 15 Mar; c-none: neither.
    await tallyCampaigns(deps, [
      messageRecord('c-rem', 'sent', '2026-03-01T02:00:00.000Z'),
      messageRecord('c-hold', 'holdout', '2026-03-01T02:00:00.000Z'),
      messageRecord('c-both', 'holdout', '2026-03-01T02:00:00.000Z'),
      messageRecord('c-both', 'sent', '2026-03-15T02:00:00.000Z'),
    ]);
    const buys: [string, string, string][] = [
      // Before any message: history, in no group, but it makes later purchases repeats.
      ['c-rem', 'p-rem-0', '2026-02-10T04:00:00.000Z'],
      ['c-none', 'p-none-0', '2026-02-10T04:00:00.000Z'],
      ['c-rem', 'p-rem-1', '2026-03-05T04:00:00.000Z'], // reminded, repeat (bought in February)
      ['c-hold', 'p-hold-1', '2026-03-05T04:00:00.000Z'], // held out, first purchase
      ['c-both', 'p-both-1', '2026-03-10T04:00:00.000Z'], // held out (reminded only from the 15th), first
      ['c-both', 'p-both-2', '2026-04-02T04:00:00.000Z'], // reminded, repeat
      ['c-hold', 'p-hold-2', '2026-04-03T04:00:00.000Z'], // held out, repeat
      ['c-none', 'p-none-1', '2026-04-03T04:00:00.000Z'], // no group
    ];
    for (const [customerId, id, at] of buys) await countRepeatPurchase(deps, purchase(customerId, id, at));
    const { items } = await report('2026-02-01', '2026-04-30');
    expect(items).toMatchObject([
      {
        start: '2026-02-01',
        reminded: { buyers: 0, repeatBuyers: 0, repeatRate: 0 },
        heldOut: { buyers: 0, repeatBuyers: 0, repeatRate: 0 },
      },
      {
        start: '2026-03-01',
        reminded: { buyers: 1, repeatBuyers: 1, repeatRate: 1 },
        heldOut: { buyers: 2, repeatBuyers: 0, repeatRate: 0 },
      },
      {
        start: '2026-04-01',
        reminded: { buyers: 1, repeatBuyers: 1, repeatRate: 1 },
        heldOut: { buyers: 1, repeatBuyers: 1, repeatRate: 1 },
      },
    ]);
  });

  it('makes a purchase a repeat when an older receipt arrives after it, and cuts months in Shanghai', async () => {
    await tallyCampaigns(deps, [messageRecord('c-late', 'sent', '2026-05-01T00:00:00.000Z')]);
    // 31 May 16:30 UTC is 1 June 00:30 in Shanghai: a June purchase, counted before the May one.
    const june = purchase('c-late', 'p-late-2', '2026-05-31T16:30:00.000Z');
    const may = purchase('c-late', 'p-late-1', '2026-05-20T04:00:00.000Z');
    await countRepeatPurchase(deps, june);
    expect((await month('2026-06-01')).reminded).toMatchObject({ buyers: 1, repeatBuyers: 0, repeatRate: 0 });
    await countRepeatPurchase(deps, may);
    expect((await month('2026-05-01')).reminded).toMatchObject({ buyers: 1, repeatBuyers: 0, repeatRate: 0 });
    expect((await month('2026-06-01')).reminded).toMatchObject({ buyers: 1, repeatBuyers: 1, repeatRate: 1 });
    // Redeliveries of either change nothing.
    await Promise.all([countRepeatPurchase(deps, june), countRepeatPurchase(deps, may)]);
    expect((await month('2026-05-01')).reminded).toMatchObject({ buyers: 1, repeatBuyers: 0, repeatRate: 0 });
    expect((await month('2026-06-01')).reminded).toMatchObject({ buyers: 1, repeatBuyers: 1, repeatRate: 1 });
  });

  it('agrees on one first purchase when a customer’s purchases are counted at the same time', async () => {
    await tallyCampaigns(deps, [messageRecord('c-race', 'holdout', '2026-07-01T00:00:00.000Z')]);
    const events = Array.from({ length: 6 }, (_, i) =>
      purchase('c-race', `p-race-${i}`, `2026-07-${String(10 + i * 3).padStart(2, '0')}T04:00:00.000Z`),
    );
    await Promise.all([...events, ...events].map((event) => countRepeatPurchase(deps, event)));
    expect((await month('2026-07-01')).heldOut).toMatchObject({ buyers: 1, repeatBuyers: 1, repeatRate: 1 });
    // A customer whose only purchase of the month is their first is a buyer, not a repeat buyer.
    await tallyCampaigns(deps, [messageRecord('c-once', 'holdout', '2026-07-01T00:00:00.000Z')]);
    await countRepeatPurchase(deps, purchase('c-once', 'p-once', '2026-07-20T04:00:00.000Z'));
    expect((await month('2026-07-01')).heldOut).toMatchObject({
      buyers: 2,
      repeatBuyers: 1,
      repeatRate: 0.5,
    });
  });

  it('keeps the earliest mark when messages arrive late and ignores other entities', async () => {
    await tallyCampaigns(deps, [messageRecord('c-order', 'sent', '2026-08-20T00:00:00.000Z')]);
    await tallyCampaigns(deps, [messageRecord('c-order', 'sent', '2026-08-05T00:00:00.000Z')]);
    await tallyCampaigns(deps, [messageRecord('c-order', 'sent', '2026-08-25T00:00:00.000Z')]);
    expect((await deps.repeatPurchases.state('c-order')).remindedAt).toBe('2026-08-05T00:00:00.000Z');
    const updated = {
      ...purchase('c-order', 'p-order', '2026-08-10T00:00:00.000Z'),
      'detail-type': 'purchase.updated',
    };
    await countRepeatPurchase(deps, updated);
    expect((await month('2026-08-01')).reminded.buyers).toBe(0);
    await countRepeatPurchase(deps, purchase('c-order', 'p-order', '2026-08-10T00:00:00.000Z'));
    expect((await month('2026-08-01')).reminded.buyers).toBe(1);
  });

  it('rejects a range completed with today that runs backwards or too long, naming from', async () => {
    await expect(
      repeatPurchasesReport(deps, { from: '2026-12-01', interval: 'month' }),
    ).rejects.toMatchObject({
      status: 400,
      errors: [{ path: 'query.from' }],
    });
    await expect(
      repeatPurchasesReport(deps, { from: '2023-01-01', interval: 'month' }),
    ).rejects.toMatchObject({
      status: 400,
      errors: [{ path: 'query.from' }],
    });
    const year = await repeatPurchasesReport(deps, { interval: 'month' });
    expect(year.items.map((item) => item.start)).toEqual(
      Array.from(
        { length: 12 },
        (_, i) => `${i === 0 ? '2025-12' : `2026-${String(i).padStart(2, '0')}`}-01`,
      ),
    );
    expect(year).toMatchObject({ from: '2025-12-01', to: '2026-11-22', timezone: 'Asia/Shanghai' });
  });
});
