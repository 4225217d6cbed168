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
