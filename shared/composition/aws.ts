import { dynamoRepositories } from '../adapters/dynamodb/index.ts';
import { createTable } from '../adapters/dynamodb/table.ts';
import { systemClock, ulidIds } from '../adapters/ulid-ids.ts';
import { readConfig } from '../config.ts';
import type { CrmDependencies } from '../ports/dependencies.ts';

/** The composition root for Lambda: SDK clients are made once per cold start. */
export const awsDependencies = (): CrmDependencies => {
  const config = readConfig();
  const table = createTable(
    config.TABLE_NAME,
    config.DYNAMODB_ENDPOINT ? { endpoint: config.DYNAMODB_ENDPOINT } : {},
  );
  return {
    ...dynamoRepositories(table),
    clock: systemClock,
    ids: ulidIds(systemClock),
    settings: { defaultTimezone: config.DEFAULT_TIMEZONE, defaultPhoneCountry: config.DEFAULT_PHONE_COUNTRY },
  };
};
