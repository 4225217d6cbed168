import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sesMailer } from '../../shared/adapters/aws/ses-mailer.ts';
import { CampaignInput } from '../../shared/domain/campaign.ts';
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
let campaignId: string;

beforeAll(async () => {
  ({ deps } = await freshTable(clock));
  deps = { ...deps, mailer: sesMailer(new SESv2Client({ region: 'us-east-1' }), 'crm@example.com') };
  const campaign = await createCampaign(
    deps,
    await CampaignInput.parseAsync({
      name: 'Reminder',
      kind: 'lifecycle',
      channel: 'email',
      trigger: { timing: { afterPurchaseDays: 7 } },
      message: { subject: 'Hi {{customer.name}}', body: 'Hello {{customer.name}}' },
    }),
  );
  campaignId = (await activateCampaign(deps, campaign.id)).id;
});
beforeEach(() => ses.reset());

const customer = (name: string) =>
  createCustomer(
    deps,
    admin,
    CustomerInput.parse({ name, email: `${name}@example.com`, consent: { email: true } }),
  );

const deliver = (messageId: string, customerId: string) =>
  deliverMessage(deps, {
    messageId,
    campaignId,
    customerId,
    refire: { target: 'deliver-touchpoint', payload: { touchpointId: messageId, customerId } },
  });

describe('delivery under faults (SES mocked, ledger on DynamoDB Local)', () => {
  it('retries after SES throttles and sends exactly once', async () => {
    const c = await customer('throttled');
    const throttle = Object.assign(new Error('Maximum sending rate exceeded.'), {
      name: 'TooManyRequestsException',
    });
    ses.on(SendEmailCommand).rejectsOnce(throttle).resolves({ MessageId: 'ses-1' });
    await expect(deliver('tp-throttle', c.id)).rejects.toThrow(/sending rate/);
    const outcome = await deliver('tp-throttle', c.id);
    expect(outcome.status).toBe('sent');
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(2);
    const [message] = (await deps.messages.list({ customerId: c.id }, { limit: 10 })).items;
    expect(message).toMatchObject({ status: 'sent', providerMessageId: 'ses-1', attempts: 2 });
    const input = ses.commandCalls(SendEmailCommand)[1]?.args[0].input;
    expect(input?.Content?.Simple?.Headers).toEqual(
      expect.arrayContaining([{ Name: 'List-Unsubscribe-Post', Value: 'List-Unsubscribe=One-Click' }]),
    );
    expect(input?.EmailTags).toEqual(expect.arrayContaining([{ Name: 'customerId', Value: c.id }]));
  });

  it('gives up after the last attempt and records the failure', async () => {
    const c = await customer('down');
    ses.on(SendEmailCommand).rejects(new Error('Service unavailable'));
    await expect(deliver('tp-down', c.id)).rejects.toThrow();
    await expect(deliver('tp-down', c.id)).rejects.toThrow();
    expect(await deliver('tp-down', c.id)).toMatchObject({ status: 'failed' });
    expect(await deliver('tp-down', c.id)).toMatchObject({ duplicate: true });
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(3);
    const [message] = (await deps.messages.list({ customerId: c.id }, { limit: 10 })).items;
    expect(message).toMatchObject({
      status: 'failed',
      attempts: 3,
      reason: 'send failed: Service unavailable',
    });
  });

  it('never sends twice when the same schedule fires twice at once', async () => {
    const c = await customer('twice');
    ses.on(SendEmailCommand).callsFake(async () => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      return { MessageId: 'ses-once' };
    });
    const outcomes = await Promise.all([
      deliver('tp-twice', c.id),
      deliver('tp-twice', c.id),
      deliver('tp-twice', c.id),
    ]);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);
    expect(outcomes.filter((o) => o.duplicate)).toHaveLength(2);
    expect(await deliver('tp-twice', c.id)).toMatchObject({ duplicate: true });
  });

  it('after a crash between the send and the ledger update, does not send again and records what happened', async () => {
    const c = await customer('crash');
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-crash' });
    const finish = deps.messages.finish;
    deps.messages.finish = async () => {
      throw new Error('Lambda timed out');
    };
    await expect(deliver('tp-crash', c.id)).rejects.toThrow(/timed out/);
    deps.messages.finish = finish;
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);
    // Scheduler retries within its window: the claim is still held, so nothing is sent.
    expect(await deliver('tp-crash', c.id)).toMatchObject({ duplicate: true });
    // Much later the claim is stale: the message is closed as failed, still without a second send.
    clock.set('2026-11-30T02:30:00.000Z');
    expect(await deliver('tp-crash', c.id)).toMatchObject({ status: 'failed' });
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);
    const [message] = (await deps.messages.list({ customerId: c.id }, { limit: 10 })).items;
    expect(message?.reason).toMatch(/interrupted/);
    clock.set('2026-11-30T02:00:00.000Z');
  });

  it('caps marketing at one message per customer per local day, deferring the second to the next day', async () => {
    const c = await customer('capped');
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-cap' });
    expect((await deliver('tp-cap-1', c.id)).status).toBe('sent');
    // 09:00 the next morning in Shanghai, the window's start.
    expect(await deliver('tp-cap-2', c.id)).toMatchObject({
      status: 'deferred',
      reason: 'frequency-cap',
      deferredUntil: '2026-12-01T01:00:00.000Z',
    });
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);
    // When the deferral fires, the new day's slot is free: it is sent, once.
    clock.set('2026-12-01T01:00:00.000Z');
    expect(await deliver('tp-cap-2', c.id)).toMatchObject({ status: 'sent' });
    expect(await deliver('tp-cap-2', c.id)).toMatchObject({ duplicate: true });
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(2);
    clock.set('2026-11-30T02:00:00.000Z');
  });

  it('suppresses an opted-out address, and defers anything outside the send window to its next start', async () => {
    const c = await customer('optout');
    await deps.optOuts.optOut('email', 'OPTOUT@example.com', 'unsubscribe link', clock.now());
    expect(await deliver('tp-optout', c.id)).toMatchObject({ status: 'suppressed', reason: 'opted-out' });
    const late = await customer('late');
    clock.set('2026-11-30T14:00:00.000Z'); // 22:00 in Shanghai
    expect(await deliver('tp-late', late.id)).toMatchObject({
      status: 'deferred',
      reason: 'outside-send-window',
      deferredUntil: '2026-12-01T01:00:00.000Z',
    });
    const [message] = (await deps.messages.list({ customerId: late.id }, { limit: 10 })).items;
    expect(message).toMatchObject({ status: 'deferred', deferredUntil: '2026-12-01T01:00:00.000Z' });
    clock.set('2026-11-30T02:00:00.000Z');
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
  });
});

describe('time left in the invocation', () => {
  it('does not start a send it could not finish: nothing is claimed, and the retry sends it', async () => {
    const c = await customer('hurried');
    ses.reset();
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-hurried' });
    const request = {
      messageId: 'tp-hurried',
      campaignId,
      customerId: c.id,
      refire: {
        target: 'deliver-touchpoint' as const,
        payload: { touchpointId: 'tp-hurried', customerId: c.id },
      },
    };
    await expect(deliverMessage(deps, { ...request, remainingMs: () => 2_000 })).rejects.toThrow(
      /too little time/,
    );
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
    expect((await deps.messages.list({ customerId: c.id }, { limit: 10 })).items).toHaveLength(0);
    expect(await deliverMessage(deps, { ...request, remainingMs: () => 25_000 })).toMatchObject({
      status: 'sent',
    });
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);
  });
});
