import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../shared/adapters/dynamodb/keys.ts';
import type { Table } from '../../shared/adapters/dynamodb/table.ts';
import { CustomerInput } from '../../shared/domain/customer.ts';
import type { Message } from '../../shared/domain/message.ts';
import type { Survey } from '../../shared/domain/survey.ts';
import type { BusEvent } from '../../shared/events/domain-event.ts';
import type { CrmDependencies } from '../../shared/ports/dependencies.ts';
import { createCustomer, deleteCustomer } from '../../shared/use-cases/customers.ts';
import { handleInboundSms } from '../../shared/use-cases/inbound-sms.ts';
import { forgetCustomer } from '../../shared/use-cases/touchpoints.ts';
import { fixedClock, freshTable } from '../support/table.ts';

const clock = fixedClock('2026-11-30T02:00:00.000Z');
const admin = { sub: 'a', roles: ['admin' as const] };
let deps: CrmDependencies;
let table: Table;
let counter = 0;

beforeAll(async () => {
  ({ deps, table } = await freshTable(clock));
});

const inbound = (phone: string, body: string, extra: Record<string, string> = {}) => ({
  originationNumber: phone,
  destinationNumber: '+12065550100',
  messageBody: body,
  inboundMessageId: `in-${++counter}`,
  ...extra,
});

const openSurvey = async (customerId: string, phone: string, scale?: Survey['scale']) => {
  const id = `tp-optout-${++counter}`;
  const sentAt = '2026-11-29T02:00:00.000Z';
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
    sku: 'PADDLE',
    providerMessageId: `sns-${id}`,
    sentAt,
    expiresAt: '2026-12-06T02:00:00.000Z',
    status: 'open',
    ...(scale ? { scale } : {}),
  };
  await deps.messages.finish({ ...message, to: phone, body: 'How was it?' }, lease, survey);
  return survey;
};

// The document client's middleware sees the low-level command names.
const WRITES = new Set([
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'TransactWriteItemsCommand',
]);

/** Simulates a crash: every DynamoDB write after the first `allowed` ones fails until removed. */
const crashAfterWrites = (allowed: number) => {
  let writes = 0;
  const name = `crash-${++counter}`;
  table.client.middlewareStack.add(
    (next, context) => async (args) => {
      if (WRITES.has(String(context.commandName)) && ++writes > allowed) throw new Error('crashed');
      return next(args);
    },
    { step: 'initialize', name },
  );
  return () => table.client.middlewareStack.remove(name);
};

describe('an SMS opt-out survives a crash (issue 9, defect 6)', () => {
  it.each([0, 1, 2, 3])(
    'STOP is not lost when the handler dies after %i writes and SNS redelivers',
    async (allowed) => {
      const phone = `+861370000${String(100 + allowed)}`;
      const customer = await createCustomer(deps, admin, CustomerInput.parse({ name: `S${allowed}`, phone }));
      await openSurvey(customer.id, phone);
      const sms = inbound(phone, '2 STOP');
      const heal = crashAfterWrites(allowed);
      await handleInboundSms(deps, sms).catch(() => 'crashed');
      heal();
      await handleInboundSms(deps, sms);
      expect(await deps.optOuts.isOptedOut('sms', phone)).toBe(true);
      const timeline = await deps.timeline.list(customer.id, { limit: 20 });
      expect(timeline.items.filter((e) => e.type === 'opted-out')).toHaveLength(1);
    },
  );

  // An answer is three plain writes (satisfaction, inbound record, survey closed) and the task.
  it.each([0, 1, 2, 3])(
    'an answer is recorded once when the handler dies after %i writes and SNS redelivers',
    async (allowed) => {
      const phone = `+861370001${String(100 + allowed)}`;
      const customer = await createCustomer(deps, admin, CustomerInput.parse({ name: `A${allowed}`, phone }));
      const survey = await openSurvey(customer.id, phone);
      const sms = inbound(phone, '2 handle broke');
      const heal = crashAfterWrites(allowed);
      expect(await handleInboundSms(deps, sms).catch(() => 'crashed')).toBe('crashed');
      heal();
      // Once the inbound record is written (the second write), the redelivery is a duplicate that
      // finishes what is left: the survey closed, the follow-up task.
      expect(await handleInboundSms(deps, sms)).toBe(allowed < 2 ? 'scored' : 'duplicate');
      expect(await handleInboundSms(deps, sms)).toBe('duplicate');
      const tasks = await deps.tasks.list({ customerId: customer.id }, { limit: 10 });
      expect(tasks.items.map((t) => t.type)).toEqual(['follow-up-call']);
      expect((await deps.surveys.get(survey.id))?.status).toBe('answered');
      const answers = await deps.surveys.list({ customerId: customer.id }, { limit: 10 });
      expect(answers.items).toHaveLength(1);
      expect(answers.items[0]).toMatchObject({ score: 'unsatisfied', comment: 'handle broke' });
      expect(Object.keys(answers.items[0] ?? {})).not.toContain('answeredBy');
      const inboundRecord = await table.client.send(
        new GetCommand({ TableName: table.name, Key: keys.inbound(sms.inboundMessageId) }),
      );
      expect(inboundRecord.Item?.outcome).toBe('scored');
      // A second, different answer to the same survey is kept as history, not scored.
      expect(await handleInboundSms(deps, inbound(phone, '1'))).toBe('already-answered');
    },
  );

  it('START removes the opt-out and the timeline shows both; a manual entry stays', async () => {
    const phone = '+8613700000200';
    const customer = await createCustomer(deps, admin, CustomerInput.parse({ name: 'T', phone }));
    await handleInboundSms(deps, inbound(phone, '退订'));
    expect((await deps.optOuts.get('sms', phone))?.reason).toBe('opt-out');
    await handleInboundSms(deps, inbound(phone, 'START'));
    expect(await deps.optOuts.isOptedOut('sms', phone)).toBe(false);
    const types = (await deps.timeline.list(customer.id, { limit: 20 })).items.map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['opted-out', 'opted-in']));

    await deps.optOuts.add({
      channel: 'sms',
      address: phone,
      reason: 'manual',
      source: 'admin:a',
      createdAt: clock.now().toISOString(),
    });
    await handleInboundSms(deps, inbound(phone, 'UNSTOP'));
    expect((await deps.optOuts.get('sms', phone))?.reason).toBe('manual');
  });
});

describe('a deleted customer stays forgotten (issue 10, erasure)', () => {
  it('a late reply naming the survey SMS writes no satisfaction record, and inbound texts expire and are erased', async () => {
    const phone = '+8613700000300';
    const customer = await createCustomer(deps, admin, CustomerInput.parse({ name: 'E', phone }));
    const survey = await openSurvey(customer.id, phone);
    const early = inbound(phone, 'hmm what is this about my address 5 Main St');
    expect(await handleInboundSms(deps, early)).toBe('unclear');

    await deleteCustomer(deps, admin, customer.id);
    await forgetCustomer(deps, {
      'detail-type': 'customer.deleted',
      detail: { eventId: 'e1', entity: { ...customer }, changed: [] },
    } as unknown as BusEvent);

    const late = inbound(phone, '2 the paddle broke, call me on 138', {
      previousPublishedMessageId: survey.providerMessageId,
    });
    expect(await handleInboundSms(deps, late)).toBe('unmatched');
    expect(await deps.surveys.satisfactionOf(survey.id)).toBeUndefined();
    expect((await deps.surveys.get(survey.id))?.status).toBe('expired');

    const stored = async (id: string) =>
      (await table.client.send(new GetCommand({ TableName: table.name, Key: keys.inbound(id) }))).Item;
    const earlyItem = await stored(early.inboundMessageId);
    expect(earlyItem?.payload).toBeUndefined();
    expect(JSON.stringify(earlyItem)).not.toContain('Main St');
    const lateItem = await stored(late.inboundMessageId);
    expect(lateItem?.ttl).toBeGreaterThan(Date.parse(clock.now().toISOString()) / 1000);
  });
});
