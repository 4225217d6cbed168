import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { sendBroadcastHandler } from '../functions/queue/send-broadcast.ts';
import { deliverTouchpointHandler } from '../functions/scheduled/deliver-touchpoint.ts';
import type { RunningDynamo } from '../infra/local/dynamodb.ts';
import { isTransactionConflict } from '../shared/adapters/dynamodb/write-failures.ts';
import { CampaignInput } from '../shared/domain/campaign.ts';
import { CustomerInput } from '../shared/domain/customer.ts';
import { PurchaseInput } from '../shared/domain/purchase.ts';
import type { Touchpoint } from '../shared/domain/touchpoint.ts';
import { activateCampaign, createCampaign } from '../shared/use-cases/campaigns.ts';
import { createCustomer } from '../shared/use-cases/customers.ts';
import { putProduct } from '../shared/use-cases/products.ts';
import { recordPurchase } from '../shared/use-cases/purchases.ts';
import { planPurchaseTouchpoints } from '../shared/use-cases/touchpoints.ts';
import { ledgerOf } from './exactly-once.ts';
import { seedCustomers } from './hot-keys.ts';
import { benchDeps, lambdaContext } from './setup.ts';
import { fmt, ratio, type Section } from './stats.ts';

const admin = { sub: 'u-admin', roles: ['admin' as const] };

/**
 * `deliveries` concurrent invocations of a real delivery handler, all of one campaign, against the
 * same number of deliveries of that campaign one at a time (the baseline, other recipients, same
 * run). Twice: broadcast recipients (send-broadcast, one SQS record each) and survey touchpoints
 * (deliver-touchpoint, which also opens a survey). Counted from the ledger by status, with every
 * transaction conflict DynamoDB reported and every delivery handed back for a retry.
 */
export const contention = async (
  dynamo: RunningDynamo,
  deliveries = 200,
): Promise<{ section: Section; contendedItems: string[] }> => {
  let now = new Date('2026-11-22T02:00:00.000Z');
  const { deps, table } = await benchDeps(dynamo, { now: () => now });
  let conflicts = 0;
  // What went wrong, by error name and message: a retried delivery says why.
  let errors = new Map<string, number>();
  const noteError = (error: unknown) => {
    const key = `${(error as Error).name}: ${String((error as Error).message).slice(0, 120)}`;
    errors.set(key, (errors.get(key) ?? 0) + 1);
  };
  // Items written inside transactions, by key: DynamoDB Local runs transactions one at a time and
  // never reports a TransactionConflict, so an item many concurrent transactions write is the
  // contention AWS would show, counted here directly.
  let transacted = new Map<string, number>();
  table.client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'TransactWriteItemsCommand') {
        const items = (
          args.input as {
            TransactItems: Record<
              string,
              { Key?: Record<string, unknown>; Item?: Record<string, unknown> }
            >[];
          }
        ).TransactItems;
        for (const entry of items) {
          for (const op of Object.values(entry)) {
            const key = op.Key ?? op.Item;
            if (key) transacted.set(`${key.pk} ${key.sk}`, (transacted.get(`${key.pk} ${key.sk}`) ?? 0) + 1);
          }
        }
      }
      try {
        return await next(args);
      } catch (error) {
        if (isTransactionConflict(error)) conflicts++;
        else if ((error as Error).name !== 'ConditionalCheckFailedException') noteError(error);
        throw error;
      }
    },
    { step: 'initialize', name: 'countConflicts' },
  );

  /** Runs `invocations` at once or one at a time; a thrown invocation is one Lambda would retry. */
  const measure = async (
    campaignId: string,
    invocations: (() => Promise<number>)[],
    concurrent: boolean,
    before: Record<string, number>,
  ) => {
    conflicts = 0;
    errors = new Map();
    transacted = new Map();
    let retried = 0;
    const invoke = async (run: () => Promise<number>) => {
      try {
        retried += await run();
      } catch (error) {
        noteError(error);
        retried++;
      }
    };
    const start = performance.now();
    if (concurrent) await Promise.all(invocations.map(invoke));
    else for (const run of invocations) await invoke(run);
    const seconds = (performance.now() - start) / 1000;
    const { byStatus } = await ledgerOf(table, campaignId);
    const status = Object.fromEntries(
      Object.entries(byStatus)
        .map(([s, n]) => [s, n - (before[s] ?? 0)] as const)
        .filter(([, n]) => n > 0),
    );
    const shared = [...transacted].filter(([, n]) => n > 1);
    return { seconds, conflicts, retried, status, byStatus, shared, errors: new Map(errors) };
  };

  // 1. A broadcast: one SQS record per invocation of the send-broadcast handler.
  await seedCustomers(table, 2 * deliveries);
  const broadcast = await createCampaign(
    deps,
    await CampaignInput.parseAsync({
      name: 'Contended broadcast',
      kind: 'broadcast',
      channel: 'sms',
      schedule: { at: '2026-12-01T02:00:00Z' },
      message: { body: 'Hi {{customer.name}}' },
    }),
  );
  await activateCampaign(deps, broadcast.id);
  const audience: string[] = [];
  for (let cursor: string | undefined, first = true; first || cursor; first = false) {
    const page = await deps.customers.list({}, { limit: 100, cursor });
    audience.push(...page.items.map((c) => c.id));
    cursor = page.nextCursor;
  }
  const send = sendBroadcastHandler(() => deps);
  const sends = (customers: string[]) =>
    customers.map((customerId, i) => async () => {
      const body = JSON.stringify({
        campaignId: broadcast.id,
        occurrence: '2026-12-01T02:00:00.000Z',
        customerId,
      });
      const event = { Records: [{ messageId: `m${i}`, body, attributes: {} }] } as unknown as SQSEvent;
      return ((await send(event, lambdaContext)) as SQSBatchResponse).batchItemFailures.length;
    });
  // Separate customers per run, so the frequency cap (one message a customer a day) defers none.
  const broadcastBaseline = await measure(broadcast.id, sends(audience.slice(0, deliveries)), false, {});
  const broadcastRun = await measure(
    broadcast.id,
    sends(audience.slice(deliveries, 2 * deliveries)),
    true,
    broadcastBaseline.byStatus,
  );

  // 2. A survey campaign: each purchase plans a survey SMS; the deliveries also open a survey each.
  await putProduct(
    deps,
    'BALL',
    { name: 'Balls', category: 'table-tennis', lifespanDays: 90, price: 9 },
    undefined,
  );
  const survey = await createCampaign(
    deps,
    await CampaignInput.parseAsync({
      name: 'Contended survey',
      kind: 'lifecycle',
      channel: 'sms',
      survey: true,
      trigger: { timing: { afterPurchaseDays: 7 } },
      message: { body: 'How are the balls? Reply 1 or 2' },
    }),
  );
  await activateCampaign(deps, survey.id);
  const touchpoints: Touchpoint[] = [];
  for (let i = 0; i < 2 * deliveries; i += 20) {
    await Promise.all(
      Array.from({ length: 20 }, async (_, j) => {
        const customer = await createCustomer(
          deps,
          admin,
          CustomerInput.parse({
            name: `Buyer ${i + j}`,
            phone: `+86137${String(i + j).padStart(8, '0')}`,
            consent: { sms: true, email: false },
          }),
        );
        const purchase = await recordPurchase(
          deps,
          admin,
          PurchaseInput.parse({
            customerId: customer.id,
            purchasedAt: '2026-11-22T10:00:00+08:00',
            items: [{ sku: 'BALL', quantity: 1 }],
          }),
        );
        const planned = await planPurchaseTouchpoints(deps, {
          version: '0',
          id: `e${i + j}`,
          'detail-type': 'purchase.recorded',
          source: 'crm',
          account: '1',
          time: purchase.createdAt,
          region: 'local',
          resources: [],
          detail: { eventId: `e${i + j}`, entity: purchase as never, changed: [] },
        });
        touchpoints.push(...planned.filter((t) => t.campaignId === survey.id));
      }),
    );
  }
  const fireAt = touchpoints[0]?.fireAt;
  if (!fireAt || touchpoints.length !== 2 * deliveries)
    throw new Error(`planned ${touchpoints.length} surveys`);
  now = new Date(fireAt);
  const deliver = deliverTouchpointHandler(() => deps);
  const fire = (planned: Touchpoint[]) =>
    planned.map((t) => async () => {
      await deliver({ touchpointId: t.id, customerId: t.customerId }, lambdaContext);
      return 0;
    });
  const surveyBaseline = await measure(survey.id, fire(touchpoints.slice(0, deliveries)), false, {});
  const surveyRun = await measure(
    survey.id,
    fire(touchpoints.slice(deliveries, 2 * deliveries)),
    true,
    surveyBaseline.byStatus,
  );

  const describe = (s: Record<string, number>) =>
    Object.entries(s)
      .map(([status, n]) => `${status} ${n}`)
      .join(', ') || 'none';
  const rate = (r: { seconds: number }) => deliveries / r.seconds;
  const ok = (r: typeof broadcastRun) =>
    r.status.sent === deliveries &&
    Object.keys(r.status).length === 1 &&
    r.conflicts === 0 &&
    r.retried === 0 &&
    r.shared.length === 0;
  const anonymous = (key: string) => key.replace(/#[0-9A-Z]{26}/g, '#…');
  const sharedItems = (r: typeof broadcastRun) =>
    r.shared.length === 0 ? 'none' : r.shared.map(([key, n]) => `\`${anonymous(key)}\` in ${n}`).join(', ');
  const row = (name: string, r: typeof broadcastRun, baseline: typeof broadcastRun) => [
    name,
    describe(r.status),
    String(r.conflicts),
    sharedItems(r),
    String(r.retried),
    fmt(rate(r), 0),
    r === baseline ? '1.00×' : `${fmt(ratio(rate(r), rate(baseline)), 2)}×`,
    ok(r) ? 'met' : 'missed',
  ];
  const failed = [broadcastRun, surveyRun].filter((r) => !ok(r)).length;
  const errorNotes = (
    [
      ['broadcast, at once', broadcastRun],
      ['broadcast, one at a time', broadcastBaseline],
      ['survey, at once', surveyRun],
      ['survey, one at a time', surveyBaseline],
    ] as const
  ).flatMap(([name, r]) =>
    r.errors.size === 0
      ? []
      : [
          `Errors (${name}): ${[...r.errors]
            .sort((a, b) => b[1] - a[1])
            .slice(0, 3)
            .map(([e, n]) => `${n} × ${e}`)
            .join('; ')}.`,
        ],
  );
  return {
    contendedItems: [broadcastRun, surveyRun].flatMap((r) =>
      r.shared.map(([key]) => `\`${anonymous(key)}\``),
    ),
    section: {
      title: `Contention: ${deliveries} concurrent deliveries of one campaign (real handlers, DynamoDB Local)`,
      rows: [
        [
          'run',
          'ledger by status',
          'transaction conflicts',
          'items in more than one transaction',
          'retried',
          'deliveries/s',
          'ratio',
          `${deliveries} sent, none stuck, no conflicts`,
        ],
        row(`broadcast: ${deliveries} send-broadcast invocations at once`, broadcastRun, broadcastBaseline),
        row('baseline: the same, one at a time', broadcastBaseline, broadcastBaseline),
        row(`survey SMS: ${deliveries} deliver-touchpoint invocations at once`, surveyRun, surveyBaseline),
        row('baseline: the same, one at a time', surveyBaseline, surveyBaseline),
      ],
      notes: [
        'Each invocation is the real Lambda handler (middy, the delivery use case, the production DynamoDB adapters): send-broadcast with one SQS record, or deliver-touchpoint with the schedule payload of a survey touchpoint (planned by recording a purchase). The baselines deliver another 200 recipients of the same campaign one at a time.',
        '"No status" in the ledger would be a lease still held (a stuck message). Conflicts are TransactionCanceledException/TransactionConflict errors the client saw, whether or not the use case recovered; retried counts the records a handler handed back or the invocations that threw (Lambda would retry them).',
        'DynamoDB Local runs transactions one at a time, so it never reports a TransactionConflict; the "items in more than one transaction" column is the contention AWS would see: an item that many concurrent transactions write conflicts there (and caps that campaign\'s throughput), whatever DynamoDB Local says.',
        ...errorNotes,
        failed === 0
          ? 'A delivery writes only its own items (ledger entry, frequency-cap slot, the survey it opens); the campaign stats come from the stream, so concurrent deliveries of one campaign have nothing to conflict on.'
          : `${failed} concurrent run(s) missed: the items every delivery writes inside its transaction (column above) are what conflicts in AWS; counting them from the stream, as the campaign stats are, takes them out.`,
      ],
    },
  };
};
