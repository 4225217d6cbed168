import { randomBytes, randomUUID } from 'node:crypto';
import type { DynamoDBRecord } from 'aws-lambda';
import { countRepeatPurchasesHandler } from '../../functions/events/count-repeat-purchases.ts';
import { countSalesHandler } from '../../functions/events/count-sales.ts';
import { forgetCustomerHandler } from '../../functions/events/forget-customer.ts';
import { CAMPAIGN_CACHE_MS, planTouchpointsHandler } from '../../functions/events/plan-touchpoints.ts';
import { recordConversionsHandler } from '../../functions/events/record-conversions.ts';
import { RULE_CACHE_MS, runAutomationHandler } from '../../functions/events/run-automation.ts';
import { sesFeedbackHandler } from '../../functions/events/ses-feedback.ts';
import { bulkJobsHandler } from '../../functions/queue/bulk-jobs.ts';
import { closeAbandonedDeliveriesHandler } from '../../functions/queue/close-abandoned-deliveries.ts';
import { pageBroadcastHandler } from '../../functions/queue/page-broadcast.ts';
import { sendBroadcastHandler } from '../../functions/queue/send-broadcast.ts';
import { deliverTouchpointHandler } from '../../functions/scheduled/deliver-touchpoint.ts';
import { runBroadcastHandler } from '../../functions/scheduled/run-broadcast.ts';
import { sweepStaleLeadsHandler } from '../../functions/scheduled/sweep-stale-leads.ts';
import { inboundSmsHandler } from '../../functions/sns/inbound-sms.ts';
import { publishChangesHandler } from '../../functions/stream/publish-changes.ts';
import { tallyCampaignsHandler } from '../../functions/stream/tally-campaigns.ts';
import { aliyunSmsSender } from '../../shared/adapters/aliyun/aliyun-sms-sender.ts';
import { withCampaignCache } from '../../shared/adapters/cached-campaigns.ts';
import { withRuleCache } from '../../shared/adapters/cached-rules.ts';
import { dynamoRepositories } from '../../shared/adapters/dynamodb/index.ts';
import { PUBLISHED_RECORD_FILTERS } from '../../shared/adapters/dynamodb/stream-mapping.ts';
import { createTable, instrument } from '../../shared/adapters/dynamodb/table.ts';
import { TALLIED_RECORD_FILTERS } from '../../shared/adapters/dynamodb/tally-mapping.ts';
import { hmacSigner } from '../../shared/adapters/hmac-signer.ts';
import { ulidIds } from '../../shared/adapters/ulid-ids.ts';
import type { readLocalSmsSettings } from '../../shared/config.ts';
import { PayloadTooLargeError } from '../../shared/domain/errors.ts';
import { eventRoutes } from '../../shared/events/routes.ts';
import type { CrmDependencies, Settings } from '../../shared/ports/dependencies.ts';
import type { BulkTask } from '../../shared/ports/imports.ts';
import { DAILY_SWEEP, SCHEDULED_TIME } from '../../shared/ports/scheduler.ts';
import type { BroadcastRecipient, BroadcastSegment } from '../../shared/ports/send-queue.ts';
import type { TimedFunction } from '../../shared/runtime/function-timeouts.ts';
import { QUEUES } from '../../shared/runtime/queues.ts';
import type { TouchpointFiring } from '../../shared/use-cases/touchpoints.ts';
import { localClientConfig } from './dynamodb.ts';
import { localSendSmsClient } from './stand-ins/aliyun-sms.ts';
import { localEventBus } from './stand-ins/event-bus.ts';
import { localLambda } from './stand-ins/lambda.ts';
import { localOutbox } from './stand-ins/outbox.ts';
import { localQueue } from './stand-ins/queue.ts';
import { localScheduler } from './stand-ins/scheduler.ts';
import { streamPoller } from './stand-ins/stream-poller.ts';
import { localUploads } from './stand-ins/uploads.ts';
import { virtualClock } from './stand-ins/virtual-clock.ts';

/** SNS's message size limit. */
const SNS_MAX_BYTES = 256 * 1024;

export interface LocalSystemOptions {
  endpoint: string;
  tableName: string;
  settings: Settings;
  /** Read the stream from its start (fresh tables) rather than from now (a restart over kept data). */
  streamFromStart: boolean;
  /** Signs unsubscribe links; kept with the data so links survive a restart. */
  signingKey?: Buffer;
  /** Where in their flexible windows schedules fire; the same seed repeats the same run. */
  schedulerSeed?: string;
  /** Shorter function timeouts than the deployed ones (seconds), so a test can force many continuations. */
  timeoutsSeconds?: Partial<Record<TimedFunction, number>>;
  /** Customers per audience page of a broadcast segment (tests use small pages to force many continuations). */
  broadcastPageSize?: number;
  /** The SMS provider (SMS_PROVIDER=aliyun sends through the Alibaba Cloud adapter into the outbox). */
  sms?: ReturnType<typeof readLocalSmsSettings>;
}

/**
 * The composition root for one machine: the same DynamoDB adapters against DynamoDB Local, the
 * table's real stream feeding the same stream handler, and stand-ins for EventBridge, Scheduler,
 * SQS, SES, SNS and KMS. Every Lambda handler is the same code AWS runs.
 */
export const localSystem = async (options: LocalSystemOptions) => {
  const clock = virtualClock();
  const outbox = localOutbox(clock);
  const lambda = localLambda(clock, options.timeoutsSeconds);
  const table = createTable(options.tableName, localClientConfig(options.endpoint));
  // Lets the end-to-end tests prove that no request path scans the table.
  const dynamoUsage = instrument(table);
  const repositories = dynamoRepositories(table);
  const aliyunTemplates = options.sms?.templates ?? { transactional: 'local', promotional: 'local' };
  const pushSecret = options.sms?.pushSecret ?? randomBytes(16).toString('hex');
  const handlers = () => ({
    'run-automation': runAutomationHandler(() => deps),
    'plan-touchpoints': planTouchpointsHandler(() => deps),
    'forget-customer': forgetCustomerHandler(() => deps),
    'ses-feedback': sesFeedbackHandler(() => deps),
    'count-sales': countSalesHandler(() => deps),
    'record-conversions': recordConversionsHandler(() => deps),
    'count-repeat-purchases': countRepeatPurchasesHandler(() => deps),
  });
  let targets: ReturnType<typeof handlers> | undefined;
  const bus = localEventBus(
    eventRoutes,
    () => {
      targets ??= handlers();
      return targets as never;
    },
    lambda,
  );
  const queue = localQueue<BroadcastRecipient>(
    clock,
    lambda,
    QUEUES['broadcast-sends'],
    () => sendBroadcast as never,
  );
  const segments = localQueue<BroadcastSegment>(
    clock,
    lambda,
    QUEUES['broadcast-segments'],
    () => pageBroadcast as never,
  );
  // Where AWS hands deliveries it gave up on: deliver-touchpoint's on-failure destination and the
  // send queue's redrive are one queue, whose consumer ends each message named `failed`.
  const abandoned = localQueue<unknown>(
    clock,
    lambda,
    QUEUES['abandoned-deliveries'],
    () => closeAbandoned as never,
  );
  lambda.onDeadLetter((letter) => {
    if (letter.target === 'deliver-touchpoint') {
      abandoned.put(
        JSON.stringify({
          requestContext: { functionArn: 'crm-deliver-touchpoint', condition: 'RetriesExhausted' },
          requestPayload: letter.payload,
          responsePayload: { errorMessage: letter.reason },
        }),
      );
    } else if (letter.target === 'send-broadcast') abandoned.put(JSON.stringify(letter.payload));
  });
  // Import files and the bulk queue (import chunks, backfills), as S3 and SQS would hold them.
  const uploads = localUploads(() => options.settings.publicBaseUrl);
  const bulk = localQueue<BulkTask>(clock, lambda, QUEUES['bulk-jobs'], () => bulkJobs as never);
  const scheduled = localScheduler(
    clock,
    () => (target, payload) => {
      if (target === 'broadcast-queue') queue.put(JSON.stringify(payload));
      else if (target === 'deliver-touchpoint')
        lambda.invokeAsync('scheduler', target, deliverTouchpoint as never, payload as TouchpointFiring);
      else if (target === 'sweep-stale-leads')
        lambda.invokeAsync('scheduler', target, sweepStaleLeads as never, payload as { occurrence: string });
      else lambda.invokeAsync('scheduler', target, runBroadcast as never, payload);
    },
    options.schedulerSeed,
  );
  const deps: CrmDependencies = {
    ...repositories,
    automationRules: withRuleCache(repositories.automationRules, clock, RULE_CACHE_MS),
    campaigns: withCampaignCache(repositories.campaigns, clock, CAMPAIGN_CACHE_MS),
    events: bus.publisher,
    mailer: outbox.mailer,
    // issue 12: the Alibaba Cloud adapter when the deployment picks it, and the SmsUp push secret.
    sms:
      options.sms?.provider === 'aliyun'
        ? aliyunSmsSender(async () => localSendSmsClient(outbox.sms, aliyunTemplates), options.sms)
        : outbox.sms,
    pushSecrets: { aliyun: async () => pushSecret },
    scheduler: scheduled.scheduler,
    signer: hmacSigner(options.signingKey ?? randomBytes(32)),
    clock,
    ids: ulidIds(clock),
    settings: options.settings,
    uploads: uploads.store,
    bulk: bulk.queue,
  };
  const deliverTouchpoint = deliverTouchpointHandler(() => deps);
  const runBroadcast = runBroadcastHandler(() => ({ ...deps, segments: segments.queue }));
  const pageBroadcast = pageBroadcastHandler(
    () => ({
      ...deps,
      queue: queue.queue,
      segments: segments.queue,
    }),
    options.broadcastPageSize,
  );
  const sendBroadcast = sendBroadcastHandler(() => deps);
  const closeAbandoned = closeAbandonedDeliveriesHandler(() => deps);
  const sweepStaleLeads = sweepStaleLeadsHandler(() => deps);
  // In AWS the CDK makes this cron (infra/sales-automation.ts); here the local scheduler fires it on the virtual clock.
  await scheduled.scheduler.createRecurring({
    ...DAILY_SWEEP,
    timezone: options.settings.defaultTimezone,
    target: 'sweep-stale-leads',
    payload: { occurrence: SCHEDULED_TIME },
  });
  const bulkJobs = bulkJobsHandler(() => deps);
  const inboundSms = inboundSmsHandler(() => deps);
  const publishChanges = publishChangesHandler(() => deps);
  const tallyCampaigns = tallyCampaignsHandler(() => deps);
  const dropped =
    (target: 'publish-changes' | 'tally-campaigns') => (records: DynamoDBRecord[], reason: string) =>
      lambda.deadLetter({
        source: 'stream',
        target,
        reason,
        payload: records.map((record) => record.dynamodb?.Keys),
        at: clock.now().toISOString(),
      });
  // Two readers of the one stream, as two event source mappings are in AWS.
  const pollers = [
    await streamPoller({
      endpoint: options.endpoint,
      tableName: options.tableName,
      handler: (event) => lambda.invoke('publish-changes', publishChanges as never, event) as never,
      fromStart: options.streamFromStart,
      onDrop: dropped('publish-changes'),
      filters: PUBLISHED_RECORD_FILTERS,
    }),
    await streamPoller({
      endpoint: options.endpoint,
      tableName: options.tableName,
      handler: (event) => lambda.invoke('tally-campaigns', tallyCampaigns as never, event) as never,
      fromStart: options.streamFromStart,
      onDrop: dropped('tally-campaigns'),
      filters: TALLIED_RECORD_FILTERS,
    }),
  ];

  /** Returns once no stream record, event, queued send or delivery is pending: two quiet passes in a row. */
  const settle = async () => {
    for (let quiet = 0; quiet < 2; ) {
      const delivered = (await Promise.all(pollers.map((poller) => poller.pollOnce()))).reduce(
        (a, b) => a + b,
        0,
      );
      await lambda.drain();
      await segments.drain();
      await bulk.drain();
      await queue.drain();
      await lambda.drain();
      await abandoned.drain();
      quiet = delivered === 0 ? quiet + 1 : 0;
    }
  };

  /** The earliest thing the virtual clock makes due by `until`: a schedule, a retry or a redelivery. */
  const nextDue = (until: Date) =>
    [
      scheduled.nextDue(until),
      lambda.nextDue(until),
      queue.nextDue(until),
      segments.nextDue(until),
      bulk.nextDue(until),
      abandoned.nextDue(until),
    ]
      .filter((due) => due !== undefined)
      .sort((a, b) => a.at.getTime() - b.at.getTime())[0];

  return {
    deps,
    clock,
    dynamoUsage,
    /** The table client every local function shares, for tools that count what reaches it (the bench). */
    table,
    /** Delivers an End User Messaging two-way payload the way SNS would: as the message of one record, asynchronously. */
    inboundSms: (payload: unknown) => {
      // SNS refuses a message over 256 KiB; so does its stand-in.
      const message = JSON.stringify(payload);
      if (Buffer.byteLength(message, 'utf8') > SNS_MAX_BYTES) throw new PayloadTooLargeError(SNS_MAX_BYTES);
      return lambda.invokeAsync('sns', 'inbound-sms', inboundSms as never, {
        Records: [
          {
            EventSource: 'aws:sns',
            EventVersion: '1.0',
            EventSubscriptionArn: 'arn:aws:sns:local:000000000000:crm-inbound-sms:local',
            Sns: {
              Type: 'Notification',
              MessageId: randomUUID(),
              TopicArn: 'arn:aws:sns:local:000000000000:crm-inbound-sms',
              Subject: '',
              Message: message,
              Timestamp: clock.now().toISOString(),
              SignatureVersion: '1',
              Signature: '',
              SigningCertUrl: '',
              UnsubscribeUrl: '',
              MessageAttributes: {},
            },
          },
        ],
      }) as Promise<unknown[] | undefined>;
    },
    outbox,
    /** A file PUT to its upload URL: stored, then S3's ObjectCreated event goes to the bulk queue, as EventBridge routes it. */
    upload(key: string, body: Buffer) {
      uploads.put(key, body);
      bulk.put(
        JSON.stringify({ source: 'aws.s3', 'detail-type': 'Object Created', detail: { object: { key } } }),
      );
    },
    scheduler: scheduled,
    lambda,
    deadLetters: lambda.deadLetters,
    settle,
    /**
     * Moves the virtual clock to `to`, running everything that comes due on the way (schedules,
     * Lambda retries, SQS redeliveries) at its own time and settling after each, so what one
     * firing causes happens before the next.
     */
    async advanceClock(to: Date): Promise<string[]> {
      const fired: string[] = [];
      await settle();
      for (let due = nextDue(to); due; due = nextDue(to)) {
        clock.set(due.at);
        due.run();
        if ('name' in due) fired.push(due.name as string);
        await settle();
      }
      clock.set(to);
      await settle();
      return fired;
    },
    stop: async () => {
      await Promise.all(pollers.map((poller) => poller.stop()));
    },
  };
};
export type LocalSystem = Awaited<ReturnType<typeof localSystem>>;
