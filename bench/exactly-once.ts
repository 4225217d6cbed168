import { randomUUID } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { localSystem } from '../infra/local/composition.ts';
import { ensureTable, localClientConfig, type RunningDynamo } from '../infra/local/dynamodb.ts';
import { keys } from '../shared/adapters/dynamodb/keys.ts';
import { createTable, type Table } from '../shared/adapters/dynamodb/table.ts';
import { CampaignInput } from '../shared/domain/campaign.ts';
import type { TimedFunction } from '../shared/runtime/function-timeouts.ts';
import { activateCampaign, createCampaign } from '../shared/use-cases/campaigns.ts';
import { partitionWrites, seedCustomers } from './hot-keys.ts';
import { fmt, type Section } from './stats.ts';

/** Every ledger record of a campaign, counted by status (none = a lease still held, i.e. stuck). */
export const ledgerOf = async (table: Table, campaignId: string) => {
  const byStatus: Record<string, number> = {};
  const perCustomer = new Map<string, number>();
  for (const partition of keys.campaignMessageShards(campaignId)) {
    let start: Record<string, unknown> | undefined;
    do {
      const page = await table.client.send(
        new QueryCommand({
          TableName: table.name,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk',
          FilterExpression: 'entityType = :message',
          ExpressionAttributeValues: { ':pk': partition, ':message': 'message' },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) {
        const status = typeof item.status === 'string' ? item.status : 'no status (lease held)';
        byStatus[status] = (byStatus[status] ?? 0) + 1;
        if (status === 'sent') {
          const customerId = String(item.customerId);
          perCustomer.set(customerId, (perCustomer.get(customerId) ?? 0) + 1);
        }
      }
      start = page.LastEvaluatedKey;
    } while (start);
  }
  return { byStatus, sentPerCustomer: perCustomer };
};

export interface BroadcastCount {
  audience: number;
  /** Outbox entries per audience member's phone. */
  outboxed: number;
  sentOnce: number;
  missing: number;
  doubled: number;
  /** Outbox entries to a phone outside the audience. */
  strangers: number;
  ledger: Record<string, number>;
  /** Ledger records marked sent more than once for one customer, or sent with no outbox entry. */
  ledgerMismatches: number;
  segmentInvocations: number;
  continuations: number;
  sendInvocations: number;
  timedOut: number;
  deadLetters: number;
  seconds: number;
}

/**
 * A broadcast to `audience` seeded customers on the whole local twin (scheduler, run-broadcast,
 * segment queue, send queue, each Lambda under its timeout, SQS redelivery on the virtual clock),
 * then every customer counted in the outbox and in the message ledger.
 */
export const broadcastOnTheTwin = async (
  endpoint: string,
  audience: number,
  timeoutsSeconds: Partial<Record<TimedFunction, number>> = {},
  broadcastPageSize?: number,
): Promise<
  BroadcastCount & { partitions: Map<string, number>; capacity: { read: number; write: number } }
> => {
  const tableName = `exactly-once-${randomUUID()}`;
  await ensureTable(endpoint, tableName);
  const table = createTable(tableName, localClientConfig(endpoint));
  const phones = new Set<string>();
  await seedCustomers(table, audience, () => 'Beijing');
  for (let i = 0; i < audience; i++) phones.add(`+86139${String(i).padStart(8, '0')}`);
  // Seeded before the system starts reading the stream: 20,000 customer inserts are not the subject.
  const system = await localSystem({
    endpoint,
    tableName,
    settings: { defaultTimezone: 'Asia/Shanghai', defaultPhoneCountry: 'CN', publicBaseUrl: 'http://bench' },
    streamFromStart: false,
    schedulerSeed: 'exactly-once',
    timeoutsSeconds,
    ...(broadcastPageSize ? { broadcastPageSize } : {}),
  });
  // Item writes per partition key and consumed capacity, from the firing on: the hot-key figures.
  const partitions = partitionWrites(system.table);
  // Count invocations and timeouts by wrapping the stand-in's invoke (the queues call it).
  const invocations: Record<string, number> = {};
  let timedOut = 0;
  const invoke = system.lambda.invoke;
  system.lambda.invoke = (async (target, fn, event) => {
    invocations[target] = (invocations[target] ?? 0) + 1;
    try {
      return await invoke(target, fn, event);
    } catch (error) {
      if (/timed out/.test((error as Error).message)) timedOut++;
      throw error;
    }
  }) as typeof invoke;
  try {
    // The broadcast fires at 10:00 in Shanghai, the next day, inside the default send window.
    const now = system.clock.now();
    const at = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1, 2));
    const campaign = await createCampaign(
      system.deps,
      await CampaignInput.parseAsync({
        name: `Everyone (${audience})`,
        kind: 'broadcast',
        channel: 'sms',
        schedule: { at: at.toISOString() },
        message: { body: 'Hi {{customer.name}}, our winter sale starts today.' },
      }),
    );
    await activateCampaign(system.deps, campaign.id);
    partitions.reset();
    system.dynamoUsage.reset();
    const started = performance.now();
    // A long run says how far it got (the outbox count), so a slow machine is told from a stuck run.
    const progress = setInterval(() => {
      const sent = system.outbox.list({ channel: 'sms' }).length;
      process.stderr.write(
        `  exactly-once: ${sent} of ${audience} sent after ${fmt((performance.now() - started) / 1000, 0)} s\n`,
      );
    }, 60_000);
    progress.unref();
    // Past the flexible window, then far enough for every SQS redelivery (visibility timeouts) to come due.
    await system.advanceClock(new Date(at.getTime() + 30 * 60_000));
    await system.advanceClock(new Date(at.getTime() + 6 * 3_600_000));
    const seconds = (performance.now() - started) / 1000;
    clearInterval(progress);

    const outbox = system.outbox.list({ channel: 'sms' });
    const perPhone = new Map<string, number>();
    let strangers = 0;
    for (const entry of outbox) {
      if (!phones.has(entry.to)) strangers++;
      else perPhone.set(entry.to, (perPhone.get(entry.to) ?? 0) + 1);
    }
    const counts = [...phones].map((phone) => perPhone.get(phone) ?? 0);
    const ledger = await ledgerOf(table, campaign.id);
    const ledgerSent = ledger.byStatus.sent ?? 0;
    const ledgerMismatches =
      [...ledger.sentPerCustomer.values()].filter((n) => n !== 1).length +
      Math.abs(ledgerSent - outbox.length);
    const continuations = (invocations['page-broadcast'] ?? 0) - keys.customerTypeShards().length;
    return {
      audience,
      outboxed: outbox.length,
      sentOnce: counts.filter((n) => n === 1).length,
      missing: counts.filter((n) => n === 0).length,
      doubled: counts.filter((n) => n > 1).length,
      strangers,
      ledger: ledger.byStatus,
      ledgerMismatches,
      segmentInvocations: invocations['page-broadcast'] ?? 0,
      continuations,
      sendInvocations: invocations['send-broadcast'] ?? 0,
      timedOut,
      deadLetters: system.deadLetters.length,
      seconds,
      partitions: new Map(partitions.counts),
      capacity: { ...system.dynamoUsage.capacity },
    };
  } finally {
    await system.stop();
  }
};

/** The bench step: asserts exactly once and throws (failing the bench) when any customer is off. */
export const exactlyOnce = async (
  dynamo: RunningDynamo,
  audience = 20_000,
): Promise<{ section: Section; count: Awaited<ReturnType<typeof broadcastOnTheTwin>> }> => {
  const count = await broadcastOnTheTwin(dynamo.endpoint, audience);
  const section: Section = {
    title: `Exactly once at scale: a broadcast to ${audience.toLocaleString('en')} customers on the local twin`,
    rows: [
      ['measure', 'value'],
      [
        'customers sent exactly one SMS (outbox)',
        `${count.sentOnce.toLocaleString('en')} of ${audience.toLocaleString('en')}`,
      ],
      ['missing / doubled / to strangers', `${count.missing} / ${count.doubled} / ${count.strangers}`],
      [
        'ledger by status',
        Object.entries(count.ledger)
          .map(([s, n]) => `${s} ${n.toLocaleString('en')}`)
          .join(', '),
      ],
      ['ledger mismatches (sent ≠ outbox, or a customer sent twice)', String(count.ledgerMismatches)],
      [
        'invocations',
        `run-broadcast 1, page-broadcast ${count.segmentInvocations} (${count.continuations} continuations), send-broadcast ${count.sendInvocations}; ${count.timedOut} timed out`,
      ],
      ['dead letters', String(count.deadLetters)],
      ['wall time', `${fmt(count.seconds, 0)} s (${fmt(audience / count.seconds, 0)} recipients/s)`],
    ],
    notes: [
      'The whole twin runs: the scheduler fires the broadcast in its flexible window, run-broadcast hands one task per audience segment to the segment queue, page-broadcast (≤ 4 at once) queues each page to the send queue and continues on the queue when its time runs low, send-broadcast (≤ 2 at once, batches of 10) sends; each function under its deployed timeout, SQS redelivery after the visibility timeout on the virtual clock.',
      'Counted twice, independently: the SMS outbox (the SNS stand-in) per customer phone, and the message ledger per customer. The step throws, failing the bench, if any customer is missing or doubled.',
    ],
  };
  const wrong = count.missing + count.doubled + count.strangers + count.ledgerMismatches + count.deadLetters;
  if (wrong > 0 || count.sentOnce !== audience) {
    throw new Error(
      `broadcast to ${audience} was not exactly once: ${count.sentOnce} once, ${count.missing} missing, ${count.doubled} doubled, ${count.strangers} strangers, ${count.ledgerMismatches} ledger mismatches, ${count.deadLetters} dead letters (ledger ${JSON.stringify(count.ledger)})`,
    );
  }
  return { section, count };
};
