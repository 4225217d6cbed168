import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { streamPoller } from '../../infra/local/stand-ins/stream-poller.ts';
import { PUBLISHED_RECORD_FILTERS } from '../../shared/adapters/dynamodb/stream-mapping.ts';
import { createCustomer } from '../../shared/use-cases/customers.ts';
import { freshTable } from '../support/table.ts';

const admin = { sub: 'u-admin', roles: ['admin' as const] };

describe('the stream filter (event source filter criteria, applied by the local poller too)', () => {
  it('hands the publisher entity records only, never index or bookkeeping items', async () => {
    const { deps, endpoint, tableName } = await freshTable();
    const received: DynamoDBRecord[] = [];
    const poller = await streamPoller({
      endpoint,
      tableName,
      fromStart: true,
      filters: PUBLISHED_RECORD_FILTERS,
      handler: async (event) => {
        received.push(...event.Records);
        return { batchItemFailures: [] };
      },
    });
    try {
      // One customer writes three items: the profile, the phone index and a tag item.
      const customer = await createCustomer(deps, admin, {
        name: 'Filtered',
        phone: '+8613900139000',
        interests: [],
        household: [],
        consent: { email: false, sms: true },
        tags: ['vip'],
        attributes: {},
      });
      await deps.once.claim('bookkeeping-marker', new Date());
      await deps.customers.delete(customer);
      let quiet = 0;
      while (quiet < 2) quiet = (await poller.pollOnce()) === 0 ? quiet + 1 : 0;
    } finally {
      await poller.stop();
    }
    expect(received.map((r) => [r.eventName, r.dynamodb?.Keys?.sk?.S])).toEqual([
      ['INSERT', 'PROFILE'],
      ['REMOVE', 'PROFILE'],
    ]);
  });
});
