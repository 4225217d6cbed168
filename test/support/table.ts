import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { localDependencies } from '../../infra/local/composition.ts';
import { ensureTable } from '../../infra/local/dynamodb.ts';
import type { Clock } from '../../shared/ports/clock.ts';
import type { CrmDependencies } from '../../shared/ports/dependencies.ts';

export const fixedClock = (iso = '2026-11-22T02:00:00.000Z') => {
  let now = new Date(iso);
  return { now: () => now, set: (next: string) => (now = new Date(next)) } satisfies Clock & {
    set(iso: string): Date;
  };
};

/** A fresh table in the run's DynamoDB Local, wired with the same adapters the runtime uses. */
export const freshTable = async (clock: Clock = { now: () => new Date() }) => {
  const endpoint = inject('dynamoEndpoint');
  const tableName = `crm-test-${randomUUID()}`;
  await ensureTable(endpoint, tableName);
  const deps: CrmDependencies = localDependencies({
    endpoint,
    tableName,
    clock,
    settings: { defaultTimezone: 'Asia/Shanghai', defaultPhoneCountry: 'CN' },
  });
  return { endpoint, tableName, deps };
};
