import { QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { RunningDynamo } from '../infra/local/dynamodb.ts';
import { keys } from '../shared/adapters/dynamodb/keys.ts';
import type { Survey } from '../shared/domain/survey.ts';
import { handleInboundSms } from '../shared/use-cases/inbound-sms.ts';
import { benchDeps } from './setup.ts';
import { fmt, ratio, type Section } from './stats.ts';

export const inboundReplies = async (dynamo: RunningDynamo, count = 150): Promise<Section> => {
  const clock = { now: () => new Date('2026-11-30T02:00:00.000Z') };
  const { deps, table } = await benchDeps(dynamo, clock);
  const { client, name } = table;
  const phones = Array.from({ length: count * 2 }, (_, i) => `+86137${String(i).padStart(8, '0')}`);
  for (const [i, phone] of phones.entries()) {
    const id = `tp-bench-${i}`;
    const survey: Survey = {
      id,
      customerId: '01JCUSTOMER000000000000000',
      phone,
      campaignId: '01JCAMPAIGN000000000000000',
      sku: 'PADDLE',
      providerMessageId: `sns-${i}`,
      sentAt: '2026-11-29T02:00:00.000Z',
      expiresAt: '2026-12-06T02:00:00.000Z',
      status: 'open',
    };
    await deps.messages.claim(
      {
        id,
        campaignId: survey.campaignId,
        customerId: survey.customerId,
        channel: 'sms',
        status: 'sent',
        sentAt: survey.sentAt,
        attempts: 1,
      },
      clock.now().getTime() + 60_000,
      clock.now(),
    );
    await deps.messages.finish(
      {
        id,
        campaignId: survey.campaignId,
        customerId: survey.customerId,
        channel: 'sms',
        status: 'sent',
        sentAt: survey.sentAt,
        attempts: 1,
      },
      clock.now().getTime() + 60_000,
      survey,
    );
  }

  // Ours: the whole handler, satisfied replies (no follow-up task), one at a time.
  let start = performance.now();
  for (let i = 0; i < count; i++) {
    await handleInboundSms(deps, {
      originationNumber: phones[i] as string,
      destinationNumber: '+1',
      messageBody: '1',
      inboundMessageId: `bench-${i}`,
    });
  }
  const ours = count / ((performance.now() - start) / 1000);

  // Baseline: the raw calls a reply minimally needs: find the open survey, then one transaction that
  // records the reply, the satisfaction and the closed survey.
  start = performance.now();
  for (let i = count; i < count * 2; i++) {
    const phone = phones[i] as string;
    const { Items = [] } = await client.send(
      new QueryCommand({
        TableName: name,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.surveysOfPhonePartition(phone) },
        ScanIndexForward: false,
        Limit: 1,
      }),
    );
    const surveyId = String(Items[0]?.id);
    await client.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: name,
              Item: { ...keys.inbound(`raw-${i}`), body: '1' },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Put: {
              TableName: name,
              Item: { ...keys.satisfaction(surveyId), score: 'satisfied' },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Update: {
              TableName: name,
              Key: keys.survey(surveyId),
              UpdateExpression: 'SET #s = :a',
              ExpressionAttributeNames: { '#s': 'status' },
              ExpressionAttributeValues: { ':a': 'answered' },
            },
          },
        ],
      }),
    );
  }
  const raw = count / ((performance.now() - start) / 1000);
  return {
    title: 'Inbound replies handled per second (in-process, DynamoDB Local)',
    rows: [
      ['measure', 'replies/s', 'baseline replies/s', 'ratio'],
      ['parse, match, record, count', fmt(ours, 0), fmt(raw, 0), `${fmt(ratio(ours, raw), 2)}×`],
    ],
    notes: [
      `${count} satisfied replies each, one at a time.`,
      'Baseline: the raw DynamoDB calls a reply minimally needs (find the open survey by phone; one transaction writing the dedupe record, the satisfaction and the closed survey). The handler also keeps the campaign, sku and campaign-summary counters in that transaction, which makes it twice as many items.',
    ],
  };
};
