import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { defaultConsoleDist } from '../../console/paths.ts';
import type { readLocalSmsSettings } from '../../shared/config.ts';
import { type LocalSystem, localSystem } from './composition.ts';
import { consoleFiles } from './console-files.ts';
import { ensureTable, type RunningDynamo, startDynamoDbLocal } from './dynamodb.ts';
import { localHttpFunctions } from './http-functions.ts';
import { localRoutes, localUpload } from './local-routes.ts';
import { createLocalServer } from './server.ts';
import { localTokens } from './tokens.ts';

export interface LocalRuntimeOptions {
  port: number;
  /** Where DynamoDB Local and the token key live; undefined keeps everything in memory. */
  dataDir?: string | undefined;
  /** Use an already running DynamoDB Local instead of starting one (tests share one per run). */
  dynamoEndpoint?: string | undefined;
  tableName?: string;
  defaultTimezone?: string;
  defaultPhoneCountry?: string | undefined;
  /** Base of links in messages; defaults to this server's address. */
  publicBaseUrl?: string;
  /** Seeds where schedules fire inside their flexible windows (CRM_SCHEDULER_SEED). */
  schedulerSeed?: string | undefined;
  /** The built web console to serve at `/`; defaults to console/dist. */
  consoleDir?: string;
  /** SMS provider settings (shared/config.ts readLocalSmsSettings); AWS-like outbox when unset. */
  sms?: ReturnType<typeof readLocalSmsSettings>;
}

export interface LocalRuntime {
  url: string;
  dynamoEndpoint: string;
  tableName: string;
  system: LocalSystem;
  stop(): Promise<void>;
}

/** The whole system on one machine: DynamoDB Local, its stream, the bus, and the Lambda handlers behind an HTTP server. */
export const startLocalRuntime = async (options: LocalRuntimeOptions): Promise<LocalRuntime> => {
  const tableName = options.tableName ?? 'crm';
  const dynamo: RunningDynamo | undefined = options.dynamoEndpoint
    ? undefined
    : await startDynamoDbLocal({ dataDir: options.dataDir });
  const endpoint = options.dynamoEndpoint ?? (dynamo as RunningDynamo).endpoint;
  let server: Server | undefined;
  let system: LocalSystem | undefined;
  try {
    const existed = await ensureTable(endpoint, tableName);
    const tokens = localTokens(options.dataDir);
    system = await localSystem({
      endpoint,
      tableName,
      settings: {
        defaultTimezone: options.defaultTimezone ?? 'UTC',
        defaultPhoneCountry: options.defaultPhoneCountry,
        publicBaseUrl: options.publicBaseUrl ?? '',
      },
      streamFromStart: !existed,
      signingKey: tokens.key,
      schedulerSeed: options.schedulerSeed,
      ...(options.sms ? { sms: options.sms } : {}),
    });
    server = createLocalServer({
      functions: localHttpFunctions(system.deps),
      tokens,
      localRoutes: localRoutes(system),
      staticFiles: consoleFiles(options.consoleDir ?? defaultConsoleDist),
      upload: localUpload(system),
    });
    const listening = server;
    await new Promise<void>((resolve, reject) => {
      listening.once('error', reject);
      listening.listen(options.port, '127.0.0.1', () => resolve());
    });
  } catch (error) {
    await system?.stop();
    await dynamo?.stop();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  const running = server;
  const runningSystem = system;
  // Links in messages point back at this server unless told otherwise; the port is known only now.
  runningSystem.deps.settings.publicBaseUrl ||= `http://127.0.0.1:${port}`;
  return {
    url: `http://127.0.0.1:${port}`,
    dynamoEndpoint: endpoint,
    tableName,
    system: runningSystem,
    async stop() {
      running.closeAllConnections();
      await new Promise<void>((resolve) => running.close(() => resolve()));
      await runningSystem.stop();
      await dynamo?.stop();
    },
  };
};
