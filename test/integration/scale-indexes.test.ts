import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { keys, SHARDS } from '../../shared/adapters/dynamodb/keys.ts';
import type { Table } from '../../shared/adapters/dynamodb/table.ts';
import { CampaignInput } from '../../shared/domain/campaign.ts';
import type { Customer } from '../../shared/domain/customer.ts';
import type { Message } from '../../shared/domain/message.ts';
import type { CrmDependencies } from '../../shared/ports/dependencies.ts';
import { activateCampaign, createCampaign, pauseCampaign } from '../../shared/use-cases/campaigns.ts';
import { createCustomer, updateCustomer } from '../../shared/use-cases/customers.ts';
import { fixedClock, freshTable } from '../support/table.ts';

let deps: CrmDependencies;
let table: Table;
const admin = { sub: 'u-admin', roles: ['admin' as const] };

/** Items the table examined for every Query since the last reset (ScannedCount), to prove what a read touched. */
const scanned = { count: 0 };

beforeAll(async () => {
  ({ deps, table } = await freshTable(fixedClock('2026-11-22T02:00:00.000Z')));
  table.client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      if (context.commandName === 'QueryCommand')
        scanned.count += (result.output as { ScannedCount?: number }).ScannedCount ?? 0;
      return result;
    },
    { step: 'initialize', name: 'scannedCount' },
  );
});

const input = (name: string, extra: Partial<Customer> = {}) => ({
  name,
  interests: [],
  household: [],
  consent: { email: false, sms: true },
  tags: [],
  attributes: {},
  ...extra,
});

const pageAll = async <T>(read: (cursor?: string) => Promise<{ items: T[]; nextCursor?: string }>) => {
  const seen: T[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await read(cursor);
    seen.push(...page.items);
    cursor = page.nextCursor;
    if (++pages > 200) throw new Error('paging does not end');
  } while (cursor);
  return seen;
};

const partitionOf = async (pk: string, sk: string, attribute: string) => {
  const { Items = [] } = await table.client.send(
    new QueryCommand({
      TableName: table.name,
      KeyConditionExpression: 'pk = :pk AND sk = :sk',
      ExpressionAttributeValues: { ':pk': pk, ':sk': sk },
    }),
  );
  return Items[0]?.[attribute] as string | undefined;
};

describe('the customer type index is sharded', () => {
  let created: Customer[] = [];

  beforeAll(async () => {
    created = [];
    for (let i = 0; i < 60; i++) created.push(await createCustomer(deps, admin, input(`Member ${i}`)));
  });

  it('spreads customers over the shards, none on the old single key', async () => {
    const partitions = new Set<string>();
    for (const customer of created) {
      partitions.add((await partitionOf(`CUSTOMER#${customer.id}`, 'PROFILE', 'gsi2pk')) as string);
    }
    expect(partitions.has(keys.typePartition('customer'))).toBe(false);
    // 60 random ids over 16 shards: all but a freak draw hit at least 8 of them.
    expect(partitions.size).toBeGreaterThanOrEqual(8);
    for (const partition of partitions) expect(keys.customerTypeShards()).toContain(partition);
  });

  it('lists every customer exactly once, in id order, across pages of any size', async () => {
    for (const limit of [1, 7, 100]) {
      const seen = await pageAll((cursor) => deps.customers.list({}, { limit, cursor }));
      const ids = seen.map((c) => c.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toEqual(created.map((c) => c.id).sort());
      for (const customer of seen) expect(customer).not.toHaveProperty('gsi2pk');
    }
  });

  it('pages the audience in independent segments that together hold everyone once', async () => {
    expect(deps.customers.audienceSegments).toBe(SHARDS);
    const segments = await Promise.all(
      Array.from({ length: deps.customers.audienceSegments }, (_, segment) =>
        pageAll((cursor) => deps.customers.pageSegment(segment, { limit: 3, cursor })),
      ),
    );
    const ids = segments.flat().map((c) => c.id);
    expect(ids.sort()).toEqual(created.map((c) => c.id).sort());
  });

  it('rejects a cursor it did not make, naming the field', async () => {
    const forged = Buffer.from(JSON.stringify({ s99: 'a:x' })).toString('base64url');
    await expect(deps.customers.list({}, { limit: 5, cursor: forged })).rejects.toMatchObject({
      errors: [{ path: 'cursor' }],
    });
  });
});

describe('the tag filter reads only tagged customers', () => {
  it('finds the tagged ones through the tag index, and follows tag changes', async () => {
    const vip: Customer[] = [];
    for (let i = 0; i < 4; i++)
      vip.push(await createCustomer(deps, admin, input(`VIP ${i}`, { tags: ['vip-tag-test', 'other'] })));
    for (let i = 0; i < 30; i++) await createCustomer(deps, admin, input(`Plain ${i}`, { tags: ['other'] }));

    scanned.count = 0;
    const found = await pageAll((cursor) =>
      deps.customers.list({ tag: 'vip-tag-test' }, { limit: 50, cursor }),
    );
    expect(found.map((c) => c.id).sort()).toEqual(vip.map((c) => c.id).sort());
    // Only the four tag items were examined, not the 34+ customers around them.
    expect(scanned.count).toBe(4);

    const dropped = vip[0] as Customer;
    await updateCustomer(deps, admin, dropped.id, { tags: ['other'] }, undefined);
    const after = await pageAll((cursor) =>
      deps.customers.list({ tag: 'vip-tag-test' }, { limit: 2, cursor }),
    );
    expect(after.map((c) => c.id).sort()).toEqual(
      vip
        .slice(1)
        .map((c) => c.id)
        .sort(),
    );
    expect(await partitionOf(`CUSTOMER#${dropped.id}`, 'TAG#vip-tag-test', 'gsi2pk')).toBeUndefined();

    const gone = vip[1] as Customer;
    await deps.customers.delete(gone);
    expect(await partitionOf(`CUSTOMER#${gone.id}`, 'TAG#other', 'pk')).toBeUndefined();
    const left = await pageAll((cursor) =>
      deps.customers.list({ tag: 'vip-tag-test' }, { limit: 50, cursor }),
    );
    expect(left).toHaveLength(2);
  });
});

describe('messages by campaign are sharded by customer', () => {
  it('lists a campaign’s messages newest first across shards', async () => {
    const campaignId = '01KAMPAIGN0000000000000000';
    const written: Message[] = [];
    for (let i = 0; i < 40; i++) {
      const message: Message = {
        id: `${campaignId}#occ#C${i}`,
        campaignId,
        customerId: `01CUSTOMER${String(i).padStart(16, '0')}`,
        channel: 'sms',
        status: 'sent',
        attempts: 1,
        sentAt: new Date(Date.UTC(2026, 10, 22, 0, i)).toISOString(),
      };
      const lease = Date.now() + 60_000;
      await deps.messages.claim(message, lease, new Date());
      await deps.messages.finish(message, lease);
      written.push(message);
    }
    const partitions = new Set<string>();
    for (const message of written)
      partitions.add((await partitionOf(`MESSAGE#${message.id}`, 'MESSAGE', 'gsi1pk')) as string);
    expect(partitions.size).toBeGreaterThan(4);
    expect(partitions.has(`CAMPAIGN#${campaignId}`)).toBe(false);

    const listed = await pageAll((cursor) => deps.messages.list({ campaignId }, { limit: 6, cursor }));
    expect(listed.map((m) => m.sentAt)).toEqual(written.map((m) => m.sentAt).reverse());
  });
});

describe('planning reads only active lifecycle campaigns', () => {
  it('reads the sparse index, not every campaign ever made', async () => {
    const lifecycle = (name: string) =>
      CampaignInput.parseAsync({
        name,
        kind: 'lifecycle',
        channel: 'sms',
        trigger: { timing: { afterPurchaseDays: 7 } },
        message: { body: 'Hi' },
      });
    for (let i = 0; i < 12; i++) await createCampaign(deps, await lifecycle(`Draft ${i}`));
    const active = await createCampaign(deps, await lifecycle('Active'));
    await activateCampaign(deps, active.id);
    const paused = await createCampaign(deps, await lifecycle('Paused'));
    await activateCampaign(deps, paused.id);
    await pauseCampaign(deps, paused.id);

    scanned.count = 0;
    const found = await deps.campaigns.activeLifecycle();
    expect(found.map((c) => c.id)).toEqual([active.id]);
    expect(found[0]).not.toHaveProperty('gsi1pk');
    expect(scanned.count).toBe(1);
  });
});
