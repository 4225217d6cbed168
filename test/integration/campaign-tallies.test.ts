import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { tallyCampaigns } from '../../shared/adapters/dynamodb/tally-campaigns.ts';
import { tallyOf } from '../../shared/adapters/dynamodb/tally-mapping.ts';
import type { CrmDependencies } from '../../shared/ports/dependencies.ts';
import { fixedClock, freshTable } from '../support/table.ts';

let deps: CrmDependencies;
const campaignId = '01JCAMPAIGNTALLY0000000000';

beforeAll(async () => {
  ({ deps } = await freshTable(fixedClock()));
});

let sequence = 0;
const record = (
  eventName: 'INSERT' | 'MODIFY',
  next: Record<string, unknown>,
  previous?: Record<string, unknown>,
): DynamoDBRecord => ({
  eventID: `ev-${++sequence}`,
  eventName,
  dynamodb: {
    NewImage: marshall({ campaignId, ...next }) as never,
    ...(previous ? { OldImage: marshall({ campaignId, ...previous }) as never } : {}),
  },
});

describe('campaign counters from the stream', () => {
  it('counts a planned touchpoint, a survey opened, and each message once at its final status', () => {
    expect(tallyOf(record('INSERT', { entityType: 'touchpoint' }))?.counts).toEqual({ scheduled: 1 });
    expect(tallyOf(record('INSERT', { entityType: 'survey' }))?.counts).toEqual({ surveys: 1 });
    expect(tallyOf(record('MODIFY', { entityType: 'message', status: 'deferred' }))).toBeUndefined();
    expect(
      tallyOf(
        record(
          'MODIFY',
          { entityType: 'message', status: 'sent' },
          { entityType: 'message', status: 'deferred' },
        ),
      )?.counts,
    ).toEqual({ sent: 1 });
    // A later write that keeps the status (erasure, say) counts nothing.
    expect(
      tallyOf(
        record(
          'MODIFY',
          { entityType: 'message', status: 'sent' },
          { entityType: 'message', status: 'sent' },
        ),
      ),
    ).toBeUndefined();
    expect(tallyOf(record('MODIFY', { entityType: 'customer' }))).toBeUndefined();
  });

  it('counts a redelivered batch once, even when batches overlap and arrive in parallel', async () => {
    const batch = Array.from({ length: 30 }, (_, i) =>
      record(
        'MODIFY',
        { entityType: 'message', status: i % 3 ? 'sent' : 'suppressed' },
        { entityType: 'message' },
      ),
    );
    const tallies = Array.from({ length: 5 }, () => record('INSERT', { entityType: 'touchpoint' }));
    await Promise.all([
      tallyCampaigns(deps, batch),
      tallyCampaigns(deps, batch.slice(10)),
      tallyCampaigns(deps, [...tallies, ...batch.slice(0, 5)]),
    ]);
    await tallyCampaigns(deps, [...batch, ...tallies]);
    expect(await deps.campaigns.stats(campaignId)).toMatchObject({ scheduled: 5, sent: 20, suppressed: 10 });
  });
});

describe('satisfaction summaries from the stream', () => {
  const summaryCampaign = '01JCAMPAIGNSUMMARY00000000';
  const of = (
    eventName: 'INSERT' | 'MODIFY',
    next: Record<string, unknown>,
    previous?: Record<string, unknown>,
  ): DynamoDBRecord => ({
    eventID: `sum-${++sequence}`,
    eventName,
    dynamodb: {
      NewImage: marshall(next) as never,
      ...(previous ? { OldImage: marshall(previous) as never } : {}),
    },
  });
  const answer = (score: string, extra: Record<string, unknown> = {}) =>
    of('INSERT', {
      entityType: 'satisfaction',
      campaignId: summaryCampaign,
      sku: 'SUM-SKU',
      score,
      ...extra,
    });

  it('maps a survey opened, an answer and an unmatched reply onto the campaign and sku rows', () => {
    expect(
      tallyOf(of('INSERT', { entityType: 'survey', campaignId: summaryCampaign, sku: 'SUM-SKU' }))?.summaries,
    ).toEqual([
      { groupBy: 'campaign', key: summaryCampaign, counts: { surveys: 1 } },
      { groupBy: 'sku', key: 'SUM-SKU', counts: { surveys: 1 } },
    ]);
    const scored = tallyOf(answer('unsatisfied', { scale: 'nps', rating: 3 }));
    expect(scored?.counts).toEqual({ replies: 1, unsatisfied: 1 });
    expect(scored?.summaries?.[1]).toEqual({
      groupBy: 'sku',
      key: 'SUM-SKU',
      counts: { replies: 1, unsatisfied: 1, npsRated: 1, npsSum: 3, detractors: 1 },
    });
    // A survey closed or a reply erased later counts nothing again.
    expect(
      tallyOf(
        of(
          'MODIFY',
          { entityType: 'survey', campaignId: summaryCampaign, status: 'answered' },
          { entityType: 'survey' },
        ),
      ),
    ).toBeUndefined();
    expect(
      tallyOf(of('MODIFY', { entityType: 'satisfaction', campaignId: summaryCampaign, score: 'satisfied' })),
    ).toBeUndefined();
    expect(tallyOf(of('INSERT', { entityType: 'inbound-sms', outcome: 'unmatched' }))).toMatchObject({
      counts: {},
      summaries: [{ groupBy: 'campaign', key: '(unmatched)', counts: { replies: 1 } }],
    });
    expect(tallyOf(of('INSERT', { entityType: 'inbound-sms', outcome: 'scored' }))).toBeUndefined();
  });

  it('sums redelivered and overlapping batches once into the summary rows and the campaign stats', async () => {
    const batch = [
      of('INSERT', { entityType: 'survey', campaignId: summaryCampaign, sku: 'SUM-SKU' }),
      of('INSERT', { entityType: 'survey', campaignId: summaryCampaign, sku: 'SUM-SKU' }),
      of('INSERT', { entityType: 'survey', campaignId: summaryCampaign }),
      answer('satisfied'),
      answer('unsatisfied'),
      of('INSERT', { entityType: 'inbound-sms', outcome: 'unmatched' }),
    ];
    // More records than one transaction holds (each answer adds three counter items besides its marker).
    const many = Array.from({ length: 60 }, () => answer('satisfied'));
    await Promise.all([tallyCampaigns(deps, batch), tallyCampaigns(deps, batch.slice(2))]);
    await tallyCampaigns(deps, [...batch, ...many]);
    await tallyCampaigns(deps, many.slice(30));
    const bySku = await deps.surveys.summary('sku');
    expect(bySku.rows.find((r) => r.key === 'SUM-SKU')).toMatchObject({
      surveys: 2,
      replies: 62,
      satisfied: 61,
      unsatisfied: 1,
    });
    expect(bySku.unmatchedReplies).toBe(1);
    const byCampaign = await deps.surveys.summary('campaign');
    expect(byCampaign.rows.find((r) => r.key === summaryCampaign)).toMatchObject({ surveys: 3, replies: 62 });
    expect(byCampaign.unmatchedReplies).toBe(1);
    expect(await deps.campaigns.stats(summaryCampaign)).toMatchObject({
      surveys: 3,
      replies: 62,
      satisfied: 61,
      unsatisfied: 1,
    });
  });
});
