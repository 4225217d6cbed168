import { beforeAll, describe, expect, it } from 'vitest';
import { instrument } from '../../shared/adapters/dynamodb/table.ts';
import { CampaignInput } from '../../shared/domain/campaign.ts';
import { readsPurchaseContext } from '../../shared/domain/compose-message.ts';
import { CustomerInput } from '../../shared/domain/customer.ts';
import { PurchaseInput } from '../../shared/domain/purchase.ts';
import { touchpointId } from '../../shared/domain/touchpoint.ts';
import type { CrmDependencies } from '../../shared/ports/dependencies.ts';
import { activateCampaign, createCampaign } from '../../shared/use-cases/campaigns.ts';
import { createCustomer } from '../../shared/use-cases/customers.ts';
import { putProduct } from '../../shared/use-cases/products.ts';
import { recordPurchase } from '../../shared/use-cases/purchases.ts';
import { deliverTouchpoint, forgetCustomer, replanCampaign } from '../../shared/use-cases/touchpoints.ts';
import { fixedClock, freshTable } from '../support/table.ts';

const admin = { sub: 'u-admin', roles: ['admin' as const] };
// 10:00 in Shanghai, inside the default send window.
const clock = fixedClock('2026-11-30T02:00:00.000Z');
let deps: CrmDependencies;
let usage: ReturnType<typeof instrument>;

const campaign = async (input: Record<string, unknown>) =>
  (
    await activateCampaign(
      deps,
      (
        await createCampaign(
          deps,
          await CampaignInput.parseAsync({
            kind: 'lifecycle',
            trigger: { timing: { afterPurchaseDays: 7 } },
            ...input,
          }),
        )
      ).id,
    )
  ).id;

let n = 0;
const customer = () =>
  createCustomer(
    deps,
    admin,
    CustomerInput.parse({
      name: `Buyer ${++n}`,
      phone: `+861380013${String(8000 + n)}`,
      email: `buyer${n}@example.com`,
      consent: { sms: true, email: true },
    }),
  );

/** A touchpoint of `campaignId` for a fresh purchase, stored as planning stores it, due now. */
const touchpoint = async (campaignId: string, customerId: string) => {
  const purchase = await recordPurchase(
    deps,
    admin,
    PurchaseInput.parse({
      customerId,
      purchasedAt: '2026-11-23T02:00:00.000Z',
      items: [{ sku: 'CAP-PADDLE', quantity: 1 }],
    }),
  );
  const id = touchpointId(campaignId, purchase.id, 'CAP-PADDLE');
  await deps.touchpoints.add({
    id,
    campaignId,
    customerId,
    purchaseId: purchase.id,
    sku: 'CAP-PADDLE',
    channel: 'sms',
    fireAt: clock.now().toISOString(),
    timezone: 'Asia/Shanghai',
    status: 'scheduled',
    createdAt: clock.now().toISOString(),
  });
  return { touchpointId: id, customerId };
};

beforeAll(async () => {
  const fresh = await freshTable(clock);
  deps = fresh.deps;
  usage = instrument(fresh.table);
  await putProduct(
    deps,
    'CAP-PADDLE',
    { name: 'Cap paddle', category: 'table-tennis', lifespanDays: 180, price: 399 },
    undefined,
  );
});

describe('delivery writes and reads only what the message needs', () => {
  it('reads the product and purchase only for a template that uses them', async () => {
    const plain = await campaign({
      name: 'Plain',
      channel: 'sms',
      message: { body: 'Hi {{customer.name}}' },
    });
    const named = await campaign({
      name: 'Named',
      channel: 'email',
      message: { subject: 'Your {{product.name}}', body: 'Hi {{customer.name}}' },
    });
    const a = await customer();
    const b = await customer();
    const first = await touchpoint(plain, a.id);
    const second = await touchpoint(named, b.id);

    usage.reset();
    expect(await deliverTouchpoint(deps, first)).toMatchObject({ status: 'sent' });
    // touchpoint, campaign, customer, opt-out list: no product, no purchase.
    expect(usage.counts.get('GetItem')).toBe(4);

    usage.reset();
    expect(await deliverTouchpoint(deps, second)).toMatchObject({ status: 'sent' });
    expect(usage.counts.get('GetItem')).toBe(6);
    const [mail] = (await deps.messages.list({ customerId: b.id }, { limit: 5 })).items;
    expect(mail?.subject).toBe('Your Cap paddle');
  });

  it('does not hold a survey to the marketing cap, nor let it take the day’s slot', async () => {
    const survey = await campaign({
      name: 'Survey',
      channel: 'sms',
      survey: true,
      message: { body: 'How is it?' },
    });
    const promo = await campaign({ name: 'Promo', channel: 'sms', message: { body: 'New rubbers' } });
    const promo2 = await campaign({ name: 'Promo 2', channel: 'sms', message: { body: 'More rubbers' } });
    const c = await customer();
    expect(await deliverTouchpoint(deps, await touchpoint(survey, c.id))).toMatchObject({ status: 'sent' });
    // The survey took no slot: the day's one marketing message still goes, a second one waits.
    expect(await deliverTouchpoint(deps, await touchpoint(promo, c.id))).toMatchObject({ status: 'sent' });
    expect(await deliverTouchpoint(deps, await touchpoint(promo2, c.id))).toMatchObject({
      status: 'deferred',
      reason: 'frequency-cap',
    });
  });

  it('keeps the outcome on the ledger only: a fired touchpoint is neither re-planned nor cancelled', async () => {
    const reminder = await campaign({ name: 'Reminder', channel: 'sms', message: { body: 'Hello' } });
    const c = await customer();
    const fired = await touchpoint(reminder, c.id);
    const waiting = await touchpoint(reminder, c.id);
    expect(await deliverTouchpoint(deps, fired)).toMatchObject({ status: 'sent' });
    // The touchpoint item itself was not written again.
    expect((await deps.touchpoints.get(c.id, fired.touchpointId))?.status).toBe('scheduled');

    expect((await deps.touchpoints.pending(c.id)).map((t) => t.id)).toEqual([waiting.touchpointId]);
    const replanned = await replanCampaign(deps, reminder);
    expect(replanned.moved + replanned.cancelled).toBe(1);
    const forgotten = await forgetCustomer(deps, {
      detail: { entity: { id: c.id } },
    } as never);
    // Only the one still waiting (if re-planning kept it) is cancelled.
    expect(forgotten.cancelled).toBe(replanned.moved);
    expect((await deps.touchpoints.get(c.id, fired.touchpointId))?.status).toBe('scheduled');
  });
});

describe('which templates read the purchase context', () => {
  const content = (body: string, subject?: string) => ({
    name: 'c',
    channel: 'email' as const,
    survey: false,
    message: { body, ...(subject ? { subject } : {}) },
  });
  it('says yes for a named product or purchase, or a mustache that can reach the whole context', () => {
    for (const body of [
      '{{product.name}}',
      '{{{ purchase.total }}}',
      '{{#if product}}x{{/if}}',
      '{{#each customer.household}}{{../product.name}}{{/each}}',
      '{{#each this}}{{@key}}{{/each}}',
      '{{lookup . "product"}}',
      '{{@root.purchase.id}}',
      '{{~product.name~}}',
    ])
      expect(readsPurchaseContext(content(body)), body).toBe(true);
    expect(readsPurchaseContext(content('Hi', 'Your {{product.name}}'))).toBe(true);
  });
  it('says no when only the customer and the unsubscribe link are used', () => {
    expect(readsPurchaseContext(content('Hi {{customer.name}}, with this product: {{unsubscribeUrl}}'))).toBe(
      false,
    );
  });
});
