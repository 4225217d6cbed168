import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, describe, expect, it } from 'vitest';
import { sesMailer } from '../../shared/adapters/aws/ses-mailer.ts';
import { isHeldOut, variantFor } from '../../shared/domain/assignment.ts';
import { type Campaign, CampaignInput } from '../../shared/domain/campaign.ts';
import { CustomerInput } from '../../shared/domain/customer.ts';
import type { CrmDependencies } from '../../shared/ports/dependencies.ts';
import { activateCampaign, createCampaign } from '../../shared/use-cases/campaigns.ts';
import { createCustomer } from '../../shared/use-cases/customers.ts';
import { deliverMessage } from '../../shared/use-cases/deliver-message.ts';
import { fixedClock, freshTable } from '../support/table.ts';

const ses = mockClient(SESv2Client);
const admin = { sub: 'u-admin', roles: ['admin' as const] };
// 10:00 in Shanghai, inside the default send window.
const clock = fixedClock('2026-11-30T02:00:00.000Z');
let deps: CrmDependencies;
let campaign: Campaign;

beforeAll(async () => {
  ({ deps } = await freshTable(clock));
  deps = { ...deps, mailer: sesMailer(new SESv2Client({ region: 'us-east-1' }), 'crm@example.com') };
  ses.on(SendEmailCommand).resolves({ MessageId: 'ses-1' });
  const created = await createCampaign(
    deps,
    await CampaignInput.parseAsync({
      name: 'Reminder',
      kind: 'lifecycle',
      channel: 'email',
      trigger: { timing: { afterPurchaseDays: 7 } },
      holdoutPercent: 50,
      variants: [
        { name: 'A', weight: 1, message: { subject: 'A for {{customer.name}}', body: 'a' } },
        { name: 'B', weight: 1, message: { subject: 'B for {{customer.name}}', body: 'b' } },
      ],
    }),
  );
  campaign = await activateCampaign(deps, created.id);
});

const customers = async (n: number, consent = true) =>
  Promise.all(
    Array.from({ length: n }, (_, i) =>
      createCustomer(
        deps,
        admin,
        CustomerInput.parse({
          name: `c${i}`,
          email: `c${i}-${Math.random()}@example.com`,
          consent: { email: consent },
        }),
      ),
    ),
  );

const deliver = (messageId: string, customerId: string) =>
  deliverMessage(deps, {
    messageId,
    campaignId: campaign.id,
    customerId,
    refire: { target: 'deliver-touchpoint', payload: { touchpointId: messageId, customerId } },
  });

describe('holdout and variants in delivery (SES mocked, ledger on DynamoDB Local)', () => {
  it('records the control group as holdout, once under duplicate firings, and sends the rest their variant', async () => {
    const group = await customers(12);
    const held = group.filter((c) => isHeldOut(campaign, c.id));
    const treated = group.filter((c) => !isHeldOut(campaign, c.id));
    expect(held.length).toBeGreaterThan(0);
    expect(treated.length).toBeGreaterThan(0);
    // Every touchpoint fires twice at once, and once more later (Scheduler and Lambda retries).
    await Promise.all(group.flatMap((c) => [deliver(`tp-${c.id}`, c.id), deliver(`tp-${c.id}`, c.id)]));
    await Promise.all(group.map((c) => deliver(`tp-${c.id}`, c.id)));

    const sentTo = ses.commandCalls(SendEmailCommand).map((call) => call.args[0].input);
    expect(sentTo).toHaveLength(treated.length);
    for (const c of held) {
      const [message, ...more] = (await deps.messages.list({ customerId: c.id }, { limit: 10 })).items;
      expect(more).toEqual([]);
      expect(message).toMatchObject({
        status: 'holdout',
        attempts: 0,
        variant: variantFor(campaign, c.id)?.name,
      });
      expect(message?.body).toBe(''); // nothing was rendered
    }
    for (const c of treated) {
      const [message] = (await deps.messages.list({ customerId: c.id }, { limit: 10 })).items;
      const variant = variantFor(campaign, c.id)?.name;
      expect(message).toMatchObject({ status: 'sent', variant, subject: `${variant} for ${c.name}` });
    }
  });

  it('suppresses before holding out, and defers outside the send window before holding out', async () => {
    const noConsent = (await customers(12, false)).find((c) => isHeldOut(campaign, c.id));
    expect(await deliver('tp-noconsent', noConsent?.id as string)).toMatchObject({
      status: 'suppressed',
      reason: 'no-consent',
    });
    const late = (await customers(12)).find((c) => isHeldOut(campaign, c.id));
    clock.set('2026-11-30T14:00:00.000Z'); // 22:00 in Shanghai
    expect(await deliver('tp-late', late?.id as string)).toMatchObject({ status: 'deferred' });
    clock.set('2026-12-01T02:00:00.000Z');
    expect(await deliver('tp-late', late?.id as string)).toMatchObject({ status: 'holdout' });
  });
});
