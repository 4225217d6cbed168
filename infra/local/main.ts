import { resolve } from 'node:path';
import { ensureConsoleBuilt } from '../../console/build.ts';
import { localRuntimeConfig } from '../../shared/config.ts';
import { startLocalRuntime } from './runtime.ts';

const config = localRuntimeConfig();
const dataDir = config.inMemory ? undefined : resolve(config.dataDir);

// A fresh clone, or one whose console sources changed, gets the console built before serving it.
await ensureConsoleBuilt();

const runtime = await startLocalRuntime({
  port: config.port,
  dataDir,
  defaultTimezone: config.defaultTimezone,
  defaultPhoneCountry: config.defaultPhoneCountry,
  schedulerSeed: config.schedulerSeed,
});

console.log(`
CRM local runtime is up: ${runtime.url}

  Console:      ${runtime.url}/ (pick a role to sign in)
  Get a token:  curl -s -X POST ${runtime.url}/_local/token -H 'content-type: application/json' -d '{"role":"admin"}'
  Call the API: curl -s ${runtime.url}/customers -H "authorization: Bearer $TOKEN"
  OpenAPI:      ${runtime.url}/openapi.json (with a token)
  Data:         ${dataDir ? `${dataDir} (delete it to start over)` : 'in memory (gone when you stop)'}
  DynamoDB:     ${runtime.dynamoEndpoint}, table ${runtime.tableName}

Ctrl-C stops the server and DynamoDB Local.
`);

let stopping = false;
const shutdown = (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping…`);
  runtime.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
};
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
