import { beforeAll, describe, expect, it } from 'vitest';
import { CampaignInput } from '../../shared/domain/campaign.ts';
import { CustomerInput } from '../../shared/domain/customer.ts';
import type { CrmDependencies } from '../../shared/ports/dependencies.ts';
import type { BroadcastRecipient, BroadcastSegment } from '../../shared/ports/send-queue.ts';
import { pageBroadcastSegment, runBroadcast } from '../../shared/use-cases/broadcasts.ts';
import { activateCampaign, createCampaign } from '../../shared/use-cases/campaigns.ts';
import { createCustomer } from '../../shared/use-cases/customers.ts';
import { fixedClock, freshTable } from '../support/table.ts';

const admin = { sub: 'u-admin', roles: ['admin' as const] };
let deps: CrmDependencies;
const AUDIENCE = 450;

beforeAll(async () => {
  ({ deps } = await freshTable(fixedClock('2026-11-22T02:00:00.000Z')));
  for (let i = 0; i < AUDIENCE; i += 50) {
    await Promise.all(
      Array.from({ length: 50 }, (_, j) =>
        createCustomer(
          deps,
          admin,
          CustomerInput.parse({ name: `C${i + j}`, region: (i + j) % 3 ? 'In' : 'Out' }),
        ),
      ),
    );
  }
}, 120_000);

describe('a broadcast reads its audience in checkpointed segments', () => {
  it('hands on a continuation when time runs low, and queues every audience member exactly once', async () => {
    const campaign = await createCampaign(
      deps,
      await CampaignInput.parseAsync({
        name: 'Segmented',
        kind: 'broadcast',
        channel: 'sms',
        schedule: { at: '2026-12-01T02:00:00Z' },
        audience: { region: ['In'] },
        message: { body: 'Hi' },
      }),
    );
    await activateCampaign(deps, campaign.id);
    const recipients: BroadcastRecipient[] = [];
    const tasks: BroadcastSegment[] = [];
    const queues = {
      queue: { enqueue: async (items: BroadcastRecipient[]) => void recipients.push(...items) },
      segments: { enqueue: async (items: BroadcastSegment[]) => void tasks.push(...items) },
    };
    const firing = { campaignId: campaign.id, occurrence: '2026-12-01T02:00:00.000Z' };
    expect(await runBroadcast({ ...deps, ...queues }, firing)).toEqual({
      segments: deps.customers.audienceSegments,
    });

    // Every invocation has time for two pages only (of 10 customers here), then must hand on.
    let invocations = 0;
    let continued = 0;
    while (tasks.length > 0) {
      const task = tasks.shift() as BroadcastSegment;
      let pagesLeft = 1; // checked before every page but the first
      const result = await pageBroadcastSegment(
        { ...deps, ...queues },
        task,
        () => (pagesLeft-- > 0 ? 60_000 : 1_000),
        10,
      );
      invocations++;
      if (result.continued) continued++;
      expect(result.pages).toBeLessThanOrEqual(2);
    }
    expect(continued).toBeGreaterThan(0);
    expect(invocations).toBeGreaterThan(deps.customers.audienceSegments);
    const ids = recipients.map((r) => r.customerId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(Math.floor((AUDIENCE * 2) / 3));
    expect(recipients.every((r) => r.occurrence === firing.occurrence)).toBe(true);
  });
});
