import { RULE_CACHE_MS, runAutomationHandler } from '../../functions/events/run-automation.ts';
import { publishChangesHandler } from '../../functions/stream/publish-changes.ts';
import { withRuleCache } from '../../shared/adapters/cached-rules.ts';
import { dynamoRepositories } from '../../shared/adapters/dynamodb/index.ts';
import { createTable } from '../../shared/adapters/dynamodb/table.ts';
import { ulidIds } from '../../shared/adapters/ulid-ids.ts';
import { eventRoutes } from '../../shared/events/routes.ts';
import type { CrmDependencies, Settings } from '../../shared/ports/dependencies.ts';
import { localClientConfig } from './dynamodb.ts';
import { localEventBus } from './stand-ins/event-bus.ts';
import { localOutbox } from './stand-ins/outbox.ts';
import { streamPoller } from './stand-ins/stream-poller.ts';
import { virtualClock } from './stand-ins/virtual-clock.ts';

export interface LocalSystemOptions {
  endpoint: string;
  tableName: string;
  settings: Settings;
  /** Read the stream from its start (fresh tables) rather than from now (a restart over kept data). */
  streamFromStart: boolean;
}

/**
 * The composition root for one machine: the same DynamoDB adapters against DynamoDB Local, the
 * table's real stream feeding the same stream handler, and stand-ins for EventBridge, SES and SNS.
 */
export const localSystem = async (options: LocalSystemOptions) => {
  const clock = virtualClock();
  const outbox = localOutbox(clock);
  const repositories = dynamoRepositories(
    createTable(options.tableName, localClientConfig(options.endpoint)),
  );
  const bus = localEventBus(eventRoutes, () => ({ 'run-automation': runAutomation }));
  const deps: CrmDependencies = {
    ...repositories,
    automationRules: withRuleCache(repositories.automationRules, clock, RULE_CACHE_MS),
    events: bus.publisher,
    mailer: outbox.mailer,
    sms: outbox.sms,
    clock,
    ids: ulidIds(clock),
    settings: options.settings,
  };
  const runAutomation = runAutomationHandler(() => deps);
  const poller = await streamPoller({
    endpoint: options.endpoint,
    tableName: options.tableName,
    handler: publishChangesHandler(() => deps),
    fromStart: options.streamFromStart,
  });

  return {
    deps,
    clock,
    outbox,
    deadLetters: bus.deadLetters,
    /** Returns once no stream record, event or delivery is pending: two quiet passes in a row. */
    async settle() {
      for (let quiet = 0; quiet < 2; ) {
        const delivered = await poller.pollOnce();
        await bus.drain();
        quiet = delivered === 0 ? quiet + 1 : 0;
      }
    },
    stop: () => poller.stop(),
  };
};
export type LocalSystem = Awaited<ReturnType<typeof localSystem>>;
