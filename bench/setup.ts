import { randomUUID } from 'node:crypto';
import { ensureTable, localClientConfig, type RunningDynamo } from '../infra/local/dynamodb.ts';
import { localOutbox } from '../infra/local/stand-ins/outbox.ts';
import { localScheduler } from '../infra/local/stand-ins/scheduler.ts';
import { localUploads } from '../infra/local/stand-ins/uploads.ts';
import { dynamoRepositories } from '../shared/adapters/dynamodb/index.ts';
import { createTable, instrument } from '../shared/adapters/dynamodb/table.ts';
import { hmacSigner } from '../shared/adapters/hmac-signer.ts';
import { systemClock } from '../shared/adapters/system-clock.ts';
import { ulidIds } from '../shared/adapters/ulid-ids.ts';
import type { Clock } from '../shared/ports/clock.ts';
import type { CrmDependencies } from '../shared/ports/dependencies.ts';
import type { BulkTask } from '../shared/ports/imports.ts';

/** A fresh table with the production adapters on one instrumented client, and the local stand-ins. */
export const benchDeps = async (dynamo: RunningDynamo, clock: Clock = systemClock) => {
  const tableName = `bench-${randomUUID()}`;
  await ensureTable(dynamo.endpoint, tableName);
  const table = createTable(tableName, localClientConfig(dynamo.endpoint));
  const usage = instrument(table);
  const outbox = localOutbox(clock);
  const scheduler = localScheduler(clock, () => async () => undefined);
  const uploads = localUploads(() => 'http://bench');
  const bulk: BulkTask[] = [];
  const deps: CrmDependencies = {
    ...dynamoRepositories(table),
    events: { publish: async () => [] },
    mailer: outbox.mailer,
    sms: outbox.sms,
    scheduler: scheduler.scheduler,
    signer: hmacSigner(Buffer.from('bench')),
    clock,
    ids: ulidIds(clock),
    settings: { defaultTimezone: 'Asia/Shanghai', defaultPhoneCountry: 'CN', publicBaseUrl: 'http://bench' },
    uploads: uploads.store,
    bulk: { enqueue: async (tasks) => void bulk.push(...tasks) },
  };
  return { table, usage, deps, scheduler, outbox, uploads, bulk };
};

export const httpEvent = (
  routeKey: string,
  options: { path: string; pathParameters?: Record<string, string>; body?: unknown },
) => ({
  version: '2.0',
  routeKey,
  rawPath: options.path,
  rawQueryString: '',
  headers: { 'content-type': 'application/json' },
  ...(options.pathParameters ? { pathParameters: options.pathParameters } : {}),
  ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  isBase64Encoded: false,
  requestContext: {
    http: {
      method: routeKey.split(' ')[0],
      path: options.path,
      protocol: 'HTTP/1.1',
      sourceIp: '127.0.0.1',
      userAgent: 'bench',
    },
    requestId: randomUUID(),
    routeKey,
    authorizer: { jwt: { claims: { sub: 'u-admin', 'cognito:groups': '[admin]' }, scopes: [] } },
  },
});

export const lambdaContext = {
  functionName: 'bench',
  awsRequestId: 'bench',
  getRemainingTimeInMillis: () => 30_000,
} as never;
