import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { localSystem } from '../../infra/local/composition.ts';
import { ensureTable, localClientConfig } from '../../infra/local/dynamodb.ts';
import { localOutbox } from '../../infra/local/stand-ins/outbox.ts';
import { localScheduler } from '../../infra/local/stand-ins/scheduler.ts';
import { localUploads } from '../../infra/local/stand-ins/uploads.ts';
import { dynamoRepositories } from '../../shared/adapters/dynamodb/index.ts';
import { createTable } from '../../shared/adapters/dynamodb/table.ts';
import { hmacSigner } from '../../shared/adapters/hmac-signer.ts';
import { ulidIds } from '../../shared/adapters/ulid-ids.ts';
import type { DomainEvent } from '../../shared/events/domain-event.ts';
import type { Clock } from '../../shared/ports/clock.ts';
import type { CrmDependencies } from '../../shared/ports/dependencies.ts';
import type { BulkTask } from '../../shared/ports/imports.ts';

const settings = {
  defaultTimezone: 'Asia/Shanghai',
  defaultPhoneCountry: 'CN',
  publicBaseUrl: 'http://crm.test',
};

export const fixedClock = (iso = '2026-11-22T02:00:00.000Z') => {
  let now = new Date(iso);
  return { now: () => now, set: (next: string) => (now = new Date(next)) } satisfies Clock & {
    set(iso: string): Date;
  };
};

const newTable = async () => {
  const endpoint = inject('dynamoEndpoint');
  const tableName = `crm-test-${randomUUID()}`;
  await ensureTable(endpoint, tableName);
  return { endpoint, tableName };
};

/**
 * A fresh table in the run's DynamoDB Local, wired with the same adapters the runtime uses. Events
 * are collected instead of published, and messages land in an outbox.
 */
export const freshTable = async (clock: Clock = { now: () => new Date() }) => {
  const { endpoint, tableName } = await newTable();
  const table = createTable(tableName, localClientConfig(endpoint));
  const outbox = localOutbox(clock);
  const published: DomainEvent[] = [];
  // Schedules are stored but fire only when a test says so.
  const scheduler = localScheduler(clock, () => async () => undefined);
  // Uploaded files in memory; bulk tasks are collected for the test to run.
  const uploads = localUploads(() => settings.publicBaseUrl);
  const bulk: BulkTask[] = [];
  const deps: CrmDependencies = {
    ...dynamoRepositories(table),
    events: {
      async publish(events) {
        published.push(...events);
        return [];
      },
    },
    mailer: outbox.mailer,
    sms: outbox.sms,
    scheduler: scheduler.scheduler,
    signer: hmacSigner(Buffer.from('test-signing-key')),
    clock,
    ids: ulidIds(clock),
    settings,
    uploads: uploads.store,
    bulk: { enqueue: async (tasks) => void bulk.push(...tasks) },
  };
  return { endpoint, tableName, table, deps, outbox, published, scheduler, uploads, bulk };
};

/** A fresh table with the whole local event backbone: stream poller, bus and automation. */
export const freshSystem = async () => {
  const { endpoint, tableName } = await newTable();
  return localSystem({ endpoint, tableName, settings, streamFromStart: true });
};
