import { dynamoRepositories } from '../../shared/adapters/dynamodb/index.ts';
import { createTable } from '../../shared/adapters/dynamodb/table.ts';
import { ulidIds } from '../../shared/adapters/ulid-ids.ts';
import type { Clock } from '../../shared/ports/clock.ts';
import type { CrmDependencies, Settings } from '../../shared/ports/dependencies.ts';
import { localClientConfig } from './dynamodb.ts';

/** The composition root for one machine: the same DynamoDB adapters, pointed at DynamoDB Local. */
export const localDependencies = (options: {
  endpoint: string;
  tableName: string;
  clock: Clock;
  settings: Settings;
}): CrmDependencies => {
  const table = createTable(options.tableName, localClientConfig(options.endpoint));
  return {
    ...dynamoRepositories(table),
    clock: options.clock,
    ids: ulidIds(options.clock),
    settings: options.settings,
  };
};
