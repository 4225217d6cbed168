import { dynamoRepositories } from '../adapters/dynamodb/index.ts';
import { createTable } from '../adapters/dynamodb/table.ts';
import { systemClock } from '../adapters/system-clock.ts';
import { ulidIds } from '../adapters/ulid-ids.ts';
import { type Capability, type Config, functionConfig } from '../config.ts';
import type { CrmDependencies } from '../ports/dependencies.ts';
import type { SegmentQueue, SendQueue } from '../ports/send-queue.ts';

type CapabilityPort = {
  table: never;
  events: CrmDependencies['events'];
  email: CrmDependencies['mailer'];
  sms: CrmDependencies['sms'];
  scheduler: CrmDependencies['scheduler'];
  signer: CrmDependencies['signer'];
  queue: SendQueue;
  segments: SegmentQueue;
  aliyunPush: NonNullable<CrmDependencies['pushSecrets']>;
  uploads: CrmDependencies['uploads'];
  bulk: CrmDependencies['bulk'];
};
export type CapabilityFactories = { [K in Capability]?: (config: Config) => CapabilityPort[K] };

const missing = (capability: Capability) =>
  new Proxy({} as never, {
    get: () => {
      throw new Error(
        `This function was not deployed with the ${capability} capability (see CrmFunction in infra/)`,
      );
    },
  });

/**
 * The composition root for Lambda: DynamoDB always, plus the capabilities a function entry passes
 * in (shared/composition/aws-capabilities.ts). Passing them from the entry keeps the SES, SNS and
 * EventBridge clients out of the bundles that do not use them. Clients are made once per cold start.
 */
export const awsDependencies =
  (factories: CapabilityFactories = {}) =>
  (): CrmDependencies => {
    const needs: Capability[] = ['table', ...(Object.keys(factories) as Capability[])];
    const config = functionConfig(needs);
    return {
      ...dynamoRepositories(createTable(config.TABLE_NAME, {}, config.CURSOR_KEY)),
      events: factories.events?.(config) ?? missing('events'),
      mailer: factories.email?.(config) ?? missing('email'),
      sms: factories.sms?.(config) ?? missing('sms'),
      scheduler: factories.scheduler?.(config) ?? missing('scheduler'),
      signer: factories.signer?.(config) ?? missing('signer'),
      ...(factories.aliyunPush ? { pushSecrets: factories.aliyunPush(config) } : {}),
      uploads: factories.uploads?.(config) ?? missing('uploads'),
      bulk: factories.bulk?.(config) ?? missing('bulk'),
      clock: systemClock,
      ids: ulidIds(systemClock),
      settings: {
        defaultTimezone: config.DEFAULT_TIMEZONE,
        defaultPhoneCountry: config.DEFAULT_PHONE_COUNTRY,
        publicBaseUrl: config.PUBLIC_BASE_URL ?? '',
      },
    };
  };
