import { resolve } from 'node:path';
import { readLocalSmsSettings } from '../../shared/config.ts';
import { startLocalRuntime } from './runtime.ts';

const inMemory = process.argv.includes('--in-memory') || process.env.CRM_IN_MEMORY === '1';
const dataDir = inMemory ? undefined : resolve(process.env.CRM_DATA_DIR ?? '.data');
const port = Number(process.env.PORT ?? 3000);

const runtime = await startLocalRuntime({
  port,
  dataDir,
  defaultTimezone: process.env.DEFAULT_TIMEZONE ?? 'Asia/Shanghai',
  defaultPhoneCountry: process.env.DEFAULT_PHONE_COUNTRY,
  sms: readLocalSmsSettings(),
});

console.log(`
CRM local runtime is up: ${runtime.url}

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
