import { randomBytes, randomUUID } from 'node:crypto';
import { forgetCustomerHandler } from '../../functions/events/forget-customer.ts';
import { planTouchpointsHandler } from '../../functions/events/plan-touchpoints.ts';
import { RULE_CACHE_MS, runAutomationHandler } from '../../functions/events/run-automation.ts';
import { sesFeedbackHandler } from '../../functions/events/ses-feedback.ts';
import { sendBroadcastHandler } from '../../functions/queue/send-broadcast.ts';
import { deliverTouchpointHandler } from '../../functions/scheduled/deliver-touchpoint.ts';
import { runBroadcastHandler } from '../../functions/scheduled/run-broadcast.ts';
import { inboundSmsHandler } from '../../functions/sns/inbound-sms.ts';
import { publishChangesHandler } from '../../functions/stream/publish-changes.ts';
import { aliyunSmsSender } from '../../shared/adapters/aliyun/aliyun-sms-sender.ts';
import { withRuleCache } from '../../shared/adapters/cached-rules.ts';
import { dynamoRepositories } from '../../shared/adapters/dynamodb/index.ts';
import { createTable, instrument } from '../../shared/adapters/dynamodb/table.ts';
import { hmacSigner } from '../../shared/adapters/hmac-signer.ts';
import { ulidIds } from '../../shared/adapters/ulid-ids.ts';
import type { readLocalSmsSettings } from '../../shared/config.ts';
import { eventRoutes } from '../../shared/events/routes.ts';
import type { CrmDependencies, Settings } from '../../shared/ports/dependencies.ts';
import type { TouchpointFiring } from '../../shared/use-cases/touchpoints.ts';
import { localClientConfig } from './dynamodb.ts';
import { localSendSmsClient } from './stand-ins/aliyun-sms.ts';
import { localEventBus } from './stand-ins/event-bus.ts';
import { localOutbox } from './stand-ins/outbox.ts';
import { localScheduler } from './stand-ins/scheduler.ts';
import { localSendQueue } from './stand-ins/send-queue.ts';
import { streamPoller } from './stand-ins/stream-poller.ts';
import { virtualClock } from './stand-ins/virtual-clock.ts';

export interface LocalSystemOptions {
  endpoint: string;
  tableName: string;
  settings: Settings;
  /** Read the stream from its start (fresh tables) rather than from now (a restart over kept data). */
  streamFromStart: boolean;
  /** Signs unsubscribe links; kept with the data so links survive a restart. */
  signingKey?: Buffer;
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
  });
  let targets: ReturnType<typeof handlers> | undefined;
  const bus = localEventBus(eventRoutes, () => {
    targets ??= handlers();
    return targets as never;
  });
  const queue = localSendQueue(() => sendBroadcast);
  const scheduled = localScheduler(
    clock,
    () => (target, payload) =>
      target === 'deliver-touchpoint'
        ? deliverTouchpoint(payload as TouchpointFiring)
        : runBroadcast(payload as { campaignId: string; occurrence: string }),
  );
  const deps: CrmDependencies = {
    ...repositories,
    automationRules: withRuleCache(repositories.automationRules, clock, RULE_CACHE_MS),
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
  };
  const deliverTouchpoint = deliverTouchpointHandler(() => deps);
  const runBroadcast = runBroadcastHandler(() => ({ ...deps, queue: queue.queue }));
  const sendBroadcast = sendBroadcastHandler(() => deps);
  const inboundSms = inboundSmsHandler(() => deps);
  const poller = await streamPoller({
    endpoint: options.endpoint,
    tableName: options.tableName,
    handler: publishChangesHandler(() => deps),
    fromStart: options.streamFromStart,
  });

  /** Returns once no stream record, event, queued send or delivery is pending: two quiet passes in a row. */
  const settle = async () => {
    for (let quiet = 0; quiet < 2; ) {
      const delivered = await poller.pollOnce();
      await bus.drain();
      await queue.drain();
      quiet = delivered === 0 ? quiet + 1 : 0;
    }
  };

  return {
    deps,
    clock,
    dynamoUsage,
    /** Delivers an End User Messaging two-way payload the way SNS would: as the message of one record. */
    inboundSms: (payload: unknown) =>
      inboundSms({
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
              Message: JSON.stringify(payload),
              Timestamp: clock.now().toISOString(),
              SignatureVersion: '1',
              Signature: '',
              SigningCertUrl: '',
              UnsubscribeUrl: '',
              MessageAttributes: {},
            },
          },
        ],
      }),
    outbox,
    scheduler: scheduled,
    deadLetters: { bus: bus.deadLetters, scheduler: scheduled.deadLetters, queue: queue.deadLetters },
    settle,
    /**
     * Moves the virtual clock to `to`, firing every schedule due on the way at its own time and
     * settling after each, so what a firing causes happens before the next one.
     */
    async advanceClock(to: Date): Promise<string[]> {
      const fired: string[] = [];
      await settle();
      for (let due = scheduled.nextDue(to); due; due = scheduled.nextDue(to)) {
        clock.set(due.at);
        await scheduled.fire(due.name);
        fired.push(due.name);
        await settle();
      }
      clock.set(to);
      await settle();
      return fired;
    },
    stop: () => poller.stop(),
  };
};
export type LocalSystem = Awaited<ReturnType<typeof localSystem>>;
