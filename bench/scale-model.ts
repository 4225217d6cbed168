/**
 * The paper model behind bench/SCALE.md: a pure function from the figures the bench measured
 * (capacity per operation, writes per partition) to markdown. Re-run `npm run bench` after a
 * change to the delivery path and the model follows it; change an assumption or a price here.
 */

/** What the bench measured (DynamoDB Local, ReturnConsumedCapacity and the partition-write counter). */
export interface MeasuredFigures {
  /** Capacity per business operation, by name: see bench/capacity.ts. */
  operations: { op: string; rcu: number; wcu: number }[];
  deliverTouchpoint: { rcu: number; wcu: number };
  recordPurchase: { rcu: number; wcu: number };
  inboundReply: { rcu: number; wcu: number };
  /** A broadcast recipient: paging plus one delivery, averaged over the run. */
  broadcastRecipient: { rcu: number; wcu: number; indexWrites: number };
  /** Index entries a touchpoint delivery writes (each costs a write unit DynamoDB Local does not report). */
  deliveryIndexWrites: number;
  /** Raw paging rate of one reader over the customer index on this machine (items/s). */
  pagingItemsPerSecond: number;
  /** Busiest partition key's share of writes in the hot-key runs. */
  busiestShare: { purchases: number; broadcast: number };
  /** Items written by more than one of the concurrent deliveries' transactions (the contention step), if it ran. */
  contendedItems?: string[] | undefined;
  /** The exactly-once broadcast on the local twin, if it ran. */
  twinBroadcast?: { audience: number; seconds: number; continuations: number } | undefined;
}

/** The retail case, stated so it can be argued with. */
export const ASSUMPTIONS = {
  purchasesPerMemberPerYear: 2,
  /** A survey a week after, a reminder 14 days before a 180-day lifespan ends. */
  touchpointsPerPurchase: 2,
  /** How long each touchpoint's one-time schedule lives before it fires (and deletes itself). */
  scheduleLifeDays: [7, 166],
  surveyReplyRate: 0.3,
  broadcastsPerMonth: 2,
  /** The busiest sales day against an average day (Singles' Day, Black Friday). */
  peakDayFactor: 10,
  /** Share of a day's purchases in its busiest hour. */
  peakHourShare: 0.15,
  /** Touchpoints fire at the campaign's sendAt in the customer's zone, inside Scheduler's 15-minute flexible window. */
  fireWindowSeconds: 15 * 60,
  /** One SMS part: up to 160 GSM-7 or 70 UCS-2 (Chinese) characters; a longer text multiplies time and price. */
  smsPartsPerMessage: 1,
  /** Lambda time per delivery in the Region (DynamoDB calls at single-digit ms); local timings are not Lambda's. */
  lambdaMsPerDelivery: 100,
  lambdaMemoryGb: 0.5,
  /** Today's broadcast sender: at most 2 instances, each spacing sends to SEND_RATE_PER_SECOND (10). */
  currentSenderRate: 2 * 10,
  sesRates: [14, 100, 500],
  /** Parts per second per origination identity, as the issue gives them (US). */
  smsOrigination: [
    ['10DLC', 1],
    ['toll-free', 3],
    ['long code', 10],
    ['short code', 100],
  ] as [string, number][],
  members: [1_000_000, 10_000_000],
};

/** AWS quotas (defaults, adjustable), from the EventBridge Scheduler user guide, "Quotas", primary Regions. */
export const QUOTAS = {
  schedulesPerRegion: 10_000_000,
  createScheduleTps: 5_000,
  invocationTps: 1_000,
  /** DynamoDB: one partition serves 1,000 WCU/s and 3,000 RCU/s. */
  partitionWcu: 1_000,
  source:
    'docs.aws.amazon.com/scheduler/latest/UserGuide/scheduler-quotas.html; DynamoDB developer guide, "Partitions and data distribution" (read 2026-11-23)',
};

/** us-east-1 list prices in USD, on-demand, no free tier. Check the pricing pages before budgeting. */
export const PRICES = {
  lambdaPerMillionRequests: 0.2,
  /** Arm64. */
  lambdaPerGbSecond: 0.0000133334,
  /** On-demand, since the November 2024 price cut. */
  dynamoPerMillionWrites: 0.625,
  dynamoPerMillionReads: 0.125,
  schedulerPerMillionInvocations: 1.0,
  eventBridgePerMillionEvents: 1.0,
  sqsPerMillionRequests: 0.4,
  sesPerThousandEmails: 0.1,
  /** Step Functions Standard, per state transition (what a Distributed Map's item iterations cost, roughly). */
  stepFunctionsPerThousandTransitions: 0.025,
  /** End User Messaging SMS to a US number, per part, before carrier fees (about $0.003 more on 10DLC). */
  smsPerPartUs: 0.00581,
  source:
    'aws.amazon.com/{lambda,dynamodb,eventbridge,sqs,ses,end-user-messaging}/pricing, us-east-1 list prices as of 2025; the bench has no network, so they are not fetched',
};

const n = (value: number, digits = 0) =>
  value.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const pct = (value: number) => `${n(value * 100, 1)}%`;
const usd = (value: number) => `$${n(value, value < 10 ? 2 : 0)}`;
const duration = (seconds: number) => {
  if (seconds < 120) return `${n(seconds, 0)} s`;
  if (seconds < 7_200) return `${n(seconds / 60, 0)} min`;
  if (seconds < 172_800) return `${n(seconds / 3_600, 1)} h`;
  return `${n(seconds / 86_400, 1)} days`;
};
const verdict = (used: number, limit: number) =>
  used <= 0.5 * limit ? 'fine' : used <= limit ? '**near the quota**' : '**over the quota**';
const table = (rows: string[][]) => {
  const [head = [], ...body] = rows;
  return [
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...body.map((r) => `| ${r.join(' | ')} |`),
  ];
};

/** Cost of one message by channel and path, from measured capacity and the prices above. */
export const costPerMessage = (
  figures: MeasuredFigures,
  path: 'touchpoint' | 'broadcast',
  channel: 'email' | 'sms',
  a = ASSUMPTIONS,
  p = PRICES,
) => {
  const lambda =
    p.lambdaPerMillionRequests / 1e6 +
    (a.lambdaMemoryGb * a.lambdaMsPerDelivery * p.lambdaPerGbSecond) / 1000;
  const capacity =
    path === 'touchpoint'
      ? {
          // The delivery, plus its share of the purchase and its planning (one purchase plans N touchpoints).
          wcu:
            figures.deliverTouchpoint.wcu +
            figures.deliveryIndexWrites +
            figures.recordPurchase.wcu / a.touchpointsPerPurchase,
          rcu: figures.deliverTouchpoint.rcu + figures.recordPurchase.rcu / a.touchpointsPerPurchase,
        }
      : {
          wcu: figures.broadcastRecipient.wcu + figures.broadcastRecipient.indexWrites,
          rcu: figures.broadcastRecipient.rcu,
        };
  const dynamo = (capacity.wcu * p.dynamoPerMillionWrites + capacity.rcu * p.dynamoPerMillionReads) / 1e6;
  const scheduler = path === 'touchpoint' ? p.schedulerPerMillionInvocations / 1e6 : 0;
  // purchase.recorded and the customer's customer.updated (running total), shared by the purchase's touchpoints.
  const events =
    path === 'touchpoint' ? (2 / a.touchpointsPerPurchase) * (p.eventBridgePerMillionEvents / 1e6) : 0;
  // Broadcast: SendMessageBatch, ReceiveMessage and DeleteMessageBatch, ten recipients each.
  const sqs = path === 'broadcast' ? (3 / 10) * (p.sqsPerMillionRequests / 1e6) : 0;
  const send = channel === 'email' ? p.sesPerThousandEmails / 1000 : p.smsPerPartUs * a.smsPartsPerMessage;
  return {
    lambda,
    dynamo,
    scheduler,
    events,
    sqs,
    send,
    total: lambda + dynamo + scheduler + events + sqs + send,
  };
};

export const scaleModel = (figures: MeasuredFigures, a = ASSUMPTIONS, q = QUOTAS, p = PRICES): string => {
  const liveDays = a.scheduleLifeDays.reduce((x, y) => x + y, 0);
  const lines: string[] = [
    '# Scale model: 1M and 10M members',
    '',
    'Written by `npm run bench` (bench/scale-model.ts) from the figures it measured in the same run; the',
    'assumptions, quotas and prices are constants in that file. Measured on DynamoDB Local, which reports',
    'table capacity but not index writes; those are counted separately by the partition-write counter.',
    '',
    '## Measured inputs',
    '',
    ...table([
      ['operation', 'RCU', 'WCU'],
      ...figures.operations.map((o) => [o.op, n(o.rcu, 1), n(o.wcu, 1)]),
      [
        'a broadcast recipient (paging + delivery, averaged)',
        n(figures.broadcastRecipient.rcu, 2),
        n(figures.broadcastRecipient.wcu, 2),
      ],
    ]),
    '',
    `- Index entries written per touchpoint delivery: ${n(figures.deliveryIndexWrites, 1)}; per broadcast recipient: ${n(figures.broadcastRecipient.indexWrites, 1)} (1 WRU each, items under 1 KB).`,
    `- Busiest partition key's share of writes: ${pct(figures.busiestShare.purchases)} (customers + purchases), ${pct(figures.busiestShare.broadcast)} (broadcast).`,
    `- One reader pages the customer index at ${n(figures.pagingItemsPerSecond)} items/s here.`,
    '',
    '## Assumptions',
    '',
    `${a.purchasesPerMemberPerYear} purchases per member per year, each planning ${a.touchpointsPerPurchase} touchpoints (a survey after 7 days, a reminder 14 days before a 180-day lifespan ends, so schedules live ${a.scheduleLifeDays.join(' + ')} = ${liveDays} days per purchase); ${a.broadcastsPerMonth} broadcasts a month to every member; the busiest day has ${a.peakDayFactor}× an average day's purchases, ${pct(a.peakHourShare)} of them in its busiest hour; every touchpoint of a day fires at the campaign's sendAt, inside the ${a.fireWindowSeconds / 60}-minute flexible window (one time zone, as in mainland China); ${a.smsPartsPerMessage} SMS part per message.`,
    '',
    '## Scheduler',
    '',
  ];

  const schedulerRows: string[][] = [
    [
      'members',
      'live schedules',
      `of ${n(q.schedulesPerRegion)}`,
      'peak CreateSchedule/s',
      `of ${n(q.createScheduleTps)}`,
      'peak invocations/s',
      `of ${n(q.invocationTps)}`,
    ],
  ];
  for (const members of a.members) {
    const purchasesPerDay = (members * a.purchasesPerMemberPerYear) / 365;
    const live = purchasesPerDay * liveDays;
    const createPeak =
      (purchasesPerDay * a.peakDayFactor * a.peakHourShare * a.touchpointsPerPurchase) / 3_600;
    // A week after the peak day its surveys fire together, on top of an average day's reminders.
    const firePeak = (purchasesPerDay * a.peakDayFactor + purchasesPerDay) / a.fireWindowSeconds;
    schedulerRows.push([
      n(members),
      n(live),
      `${pct(live / q.schedulesPerRegion)} ${verdict(live, q.schedulesPerRegion)}`,
      n(createPeak, 1),
      `${pct(createPeak / q.createScheduleTps)} ${verdict(createPeak, q.createScheduleTps)}`,
      n(firePeak, 0),
      `${pct(firePeak / q.invocationTps)} ${verdict(firePeak, q.invocationTps)}`,
    ]);
  }
  lines.push(...table(schedulerRows), '', `Quotas: ${q.source}.`, '', '## Sending a 1M broadcast', '');

  const million = 1_000_000;
  const sendRows: string[][] = [['channel and rate', 'messages/s', 'time for 1,000,000']];
  sendRows.push([
    "today's sender cap (2 instances × SEND_RATE_PER_SECOND 10)",
    n(a.currentSenderRate),
    duration(million / a.currentSenderRate),
  ]);
  for (const rate of a.sesRates)
    sendRows.push([`email at an SES rate of ${rate}/s`, n(rate), duration(million / rate)]);
  for (const [origination, partsPerSecond] of a.smsOrigination) {
    const rate = partsPerSecond / a.smsPartsPerMessage;
    sendRows.push([
      `SMS from one ${origination} number (${partsPerSecond} parts/s)`,
      n(rate, 1),
      duration(million / rate),
    ]);
  }
  const segments = 16;
  lines.push(
    ...table(sendRows),
    '',
    `Paging the audience is not the limit: ${segments} segments read in parallel at the measured ${n(figures.pagingItemsPerSecond)} items/s each page 1M customers in ${duration(million / (figures.pagingItemsPerSecond * segments))} (one reader: ${duration(million / figures.pagingItemsPerSecond)}). The provider's rate is: SMS at 1–10 parts/s per number needs a pool of numbers or a short code, and the sender's concurrency must be raised to the account's SES rate.`,
    '',
    '## Monthly AWS cost per 1M messages',
    '',
  );

  const costRows: string[][] = [
    ['path, channel', 'Lambda', 'DynamoDB', 'Scheduler', 'EventBridge', 'SQS', 'SES / SNS (SMS)', 'total'],
  ];
  for (const path of ['touchpoint', 'broadcast'] as const) {
    for (const channel of ['email', 'sms'] as const) {
      const c = costPerMessage(figures, path, channel, a, p);
      costRows.push([
        `${path}, ${channel}`,
        ...[c.lambda, c.dynamo, c.scheduler, c.events, c.sqs, c.send, c.total].map((v) => usd(v * million)),
      ]);
    }
  }
  const messagesPerMonth = (members: number) =>
    (members * a.purchasesPerMemberPerYear * a.touchpointsPerPurchase) / 12 + members * a.broadcastsPerMonth;
  lines.push(
    ...table(costRows),
    '',
    `Prices: ${Object.entries(p)
      .filter(([k]) => k !== 'source')
      .map(([k, v]) => `${k} ${v}`)
      .join(
        ', ',
      )}. Source: ${p.source}. Lambda at ${a.lambdaMsPerDelivery} ms and ${a.lambdaMemoryGb * 1024} MB per delivery; SMS priced at the US rate (mainland China goes through the Alibaba Cloud adapter at its own price).`,
    '',
    ...a.members.map((members) => {
      const perMonth = messagesPerMonth(members);
      const email =
        costPerMessage(figures, 'touchpoint', 'email', a, p).total - p.sesPerThousandEmails / 1000;
      return `- ${n(members)} members send about ${n(perMonth / 1e6, 1)}M messages a month; the AWS bill for everything but SES/SMS is about ${usd(email * perMonth)}, and the message fees dominate it (SMS at the US rate: ${usd(perMonth * p.smsPerPartUs * a.smsPartsPerMessage)}).`;
    }),
    '',
    '## Where the design stops scaling, and what comes next',
    '',
  );

  const tenM = a.members.at(-1) ?? 10_000_000;
  const liveTenM = ((tenM * a.purchasesPerMemberPerYear) / 365) * liveDays;
  const fireTenM =
    (((tenM * a.purchasesPerMemberPerYear) / 365) * (a.peakDayFactor + 1)) / a.fireWindowSeconds;
  lines.push(
    `1. **Live schedules.** One one-time schedule per touchpoint, alive until it fires, puts ${n(tenM)} members at ${pct(liveTenM / q.schedulesPerRegion)} of the 10M default. Next: create a schedule only when its touchpoint is due within a few days (a daily sweep over a sparse "due on day D" index, sharded like the customer index), which keeps live schedules to about a week's touchpoints; the quota is also adjustable.`,
    `2. **Invocation rate on peak days.** The surveys of a peak sales day all fire at 10:00 local a week later: ${n(fireTenM)} invocations/s at ${n(tenM)} members against 1,000/s. Next: spread sendAt over the send window (a per-customer offset), or fire a batch per schedule (one schedule per campaign, day and shard, delivering its shard's due touchpoints).`,
    `3. **Provider throughput.** A 1M SMS broadcast takes ${duration(million / 100)} on a short code and ${duration(million)} on one 10DLC number; email takes ${duration(million / 14)} at SES's starting 14/s. The sender's concurrency and rate must follow the account's limits (a configuration, not a code change), and a number pool or short code is the SMS answer.`,
    `4. **Hot items.** The customer type index, the tag index and messages-by-campaign are sharded 16 ways (about 16,000 writes/s each before one partition's 1,000 WCU/s binds); the busiest key in the measured broadcast takes ${pct(figures.busiestShare.broadcast)} of its writes. Campaign stats come from the stream (batched ADDs on 8 counter items), so a plain delivery writes only its own items. ${
      figures.contendedItems === undefined
        ? ''
        : figures.contendedItems.length === 0
          ? "In the contention step no item was written by more than one delivery's transaction."
          : `Still shared in the contention step: ${figures.contendedItems.join(', ')}, written inside every survey delivery's transaction; in AWS that caps a survey campaign at about ${n(q.partitionWcu / 2)} deliveries/s (a transactional write costs 2 WCU) and conflicts under concurrency. Next: count surveys from the stream too, as the campaign stats are.`
    }`,
    '5. **Audit-scale reads.** Reports and stats read counters, lists read one shard set; nothing scans. A full export of 10M customers is a job (segments in parallel through the same sharded index, or DynamoDB export to S3), not a request.',
    `6. **Audience paging.** ${segments} segments bound the parallelism of one broadcast's paging (${duration(tenM / (figures.pagingItemsPerSecond * segments))} for ${n(tenM)} members at this machine's paging rate; DynamoDB in the Region pages faster). Each segment checkpoints (segment, cursor) onto the queue before its 60 s runs out, so no size of audience needs a longer invocation; more shards (a key-schema change with a backfill) is the next step only if paging, not sending, became the bottleneck.`,
    '',
    '## SQS continuations, not Step Functions Distributed Map',
    '',
    `A broadcast is a flat list of independent pages: run-broadcast queues one task per segment, page-broadcast reads pages until its time runs low and queues (segment, cursor), send-broadcast sends each recipient idempotently on its ledger key (campaign, occurrence, customer). Nothing waits for everything else, so there is no barrier or summary step for an orchestrator to own. SQS gives the parallel segments, retries with a visibility timeout, a DLQ, back-pressure (the sender's maximum concurrency) and costs about ${usd(((3 / 10) * p.sqsPerMillionRequests * million) / 1e6)} per 1M recipients (three requests per ten); a Distributed Map over the same recipients, one state transition per item in a Standard workflow, would cost about ${usd((million * p.stepFunctionsPerThousandTransitions) / 1000)} per 1M (batching items lowers it) and adds an execution history that holds nothing we read. Distributed Map becomes the right engine when a job needs a step after every item is done (a "broadcast finished" report with exact totals, an export assembled into one file) or per-item branching with waits; the counters from the stream already give totals without a barrier.`,
    ...(figures.twinBroadcast
      ? [
          '',
          `Measured on the local twin in the same run: a broadcast to ${n(figures.twinBroadcast.audience)} customers through these queues, with the deployed timeouts, reached every customer exactly once in ${duration(figures.twinBroadcast.seconds)} (${figures.twinBroadcast.continuations} continuations).`,
        ]
      : []),
    '',
  );
  return lines.join('\n');
};
