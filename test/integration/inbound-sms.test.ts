import { beforeAll, describe, expect, it } from 'vitest';
import { CustomerInput } from '../../shared/domain/customer.ts';
import type { Message } from '../../shared/domain/message.ts';
import type { Survey } from '../../shared/domain/survey.ts';
import type { CrmDependencies } from '../../shared/ports/dependencies.ts';
import { createCustomer } from '../../shared/use-cases/customers.ts';
import { handleInboundSms, nextBusinessDay } from '../../shared/use-cases/inbound-sms.ts';
import { fixedClock, freshTable } from '../support/table.ts';

const clock = fixedClock('2026-11-30T02:00:00.000Z');
let deps: CrmDependencies;
let counter = 0;

beforeAll(async () => {
  ({ deps } = await freshTable(clock));
});

/** Opens a survey the way delivery does: ledger claim, then finish with the survey. */
const openSurvey = async (customerId: string, phone: string, sku: string, sentAt: string) => {
  const id = `tp-${++counter}`;
  const message: Message = {
    id,
    campaignId: '01JCAMPAIGN000000000000000',
    customerId,
    channel: 'sms',
    status: 'sent',
    sentAt,
    attempts: 1,
  };
  const lease = Date.parse(sentAt) + 60_000;
  await deps.messages.claim(message, lease, new Date(sentAt));
  const survey: Survey = {
    id,
    customerId,
    phone,
    campaignId: message.campaignId,
    sku,
    providerMessageId: `sns-${id}`,
    sentAt,
    expiresAt: new Date(Date.parse(sentAt) + 7 * 86_400_000).toISOString(),
    status: 'open',
  };
  await deps.messages.finish(message, lease, survey);
  return survey;
};

const inbound = (phone: string, body: string, extra: Record<string, string> = {}) => ({
  originationNumber: phone,
  destinationNumber: '+12065550100',
  messageBody: body,
  inboundMessageId: `in-${++counter}`,
  ...extra,
});

describe('inbound replies on DynamoDB Local', () => {
  it('records one answer when the same reply arrives twice in parallel', async () => {
    const customer = await createCustomer(
      deps,
      { sub: 'a', roles: ['admin'] },
      CustomerInput.parse({ name: 'P', phone: '+8613700000001' }),
    );
    const survey = await openSurvey(customer.id, '+8613700000001', 'PADDLE', '2026-11-29T02:00:00.000Z');
    const sms = inbound('+8613700000001', '2 handle cracked');
    const outcomes = await Promise.all([
      handleInboundSms(deps, sms),
      handleInboundSms(deps, sms),
      handleInboundSms(deps, sms),
    ]);
    expect(outcomes.filter((o) => o === 'scored')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(2);
    const records = await deps.surveys.list({ customerId: customer.id }, { limit: 10 });
    expect(records.items).toHaveLength(1);
    const tasks = await deps.tasks.list({ customerId: customer.id }, { limit: 10 });
    expect(tasks.items).toHaveLength(1);
    expect(tasks.items[0]?.satisfactionId).toBe(records.items[0]?.id);
    expect((await deps.surveys.get(survey.id))?.status).toBe('answered');
  });

  it('matches the right one of two open surveys: by the message replied to, else the newest', async () => {
    const customer = await createCustomer(
      deps,
      { sub: 'a', roles: ['admin'] },
      CustomerInput.parse({ name: 'Q', phone: '+8613700000002' }),
    );
    const older = await openSurvey(customer.id, '+8613700000002', 'PADDLE', '2026-11-27T02:00:00.000Z');
    const newer = await openSurvey(customer.id, '+8613700000002', 'SHOES', '2026-11-28T02:00:00.000Z');
    await handleInboundSms(
      deps,
      inbound('+8613700000002', '1', { previousPublishedMessageId: older.providerMessageId }),
    );
    expect((await deps.surveys.satisfactionOf(older.id))?.score).toBe('satisfied');
    await handleInboundSms(deps, inbound('+8613700000002', '不满意'));
    expect((await deps.surveys.satisfactionOf(newer.id))?.score).toBe('unsatisfied');
  });

  it('dues a follow-up call by the next business day in the customer zone', () => {
    // Friday 2026-11-27 18:00 in Shanghai → Monday 18:00.
    expect(nextBusinessDay(new Date('2026-11-27T10:00:00Z'), 'Asia/Shanghai').toISOString()).toBe(
      '2026-11-30T10:00:00.000Z',
    );
    // Tuesday → Wednesday.
    expect(nextBusinessDay(new Date('2026-11-24T10:00:00Z'), 'Asia/Shanghai').toISOString()).toBe(
      '2026-11-25T10:00:00.000Z',
    );
  });
});
