import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { inject } from 'vitest';
import { buildConsole } from '../../console/build.ts';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { launchBrowser } from './browser.ts';
import { apiClient } from './client.ts';

/**
 * What every browser suite starts from: the console built into a temporary folder, a local runtime
 * serving it on its own table, a Chromium, and `call`, the API as an admin (a non-2xx answer throws,
 * so seeding steps cannot fail quietly).
 */
export interface ConsoleFixture {
  runtime: LocalRuntime;
  browser: Browser;
  // biome-ignore lint/suspicious/noExplicitAny: test payloads are checked field by field
  call: (method: string, path: string, body?: unknown) => Promise<any>;
  stop: () => Promise<void>;
}

export const startConsoleFixture = async (name: string): Promise<ConsoleFixture> => {
  const dist = mkdtempSync(join(tmpdir(), 'crm-console-'));
  await buildConsole(dist);
  const runtime = await startLocalRuntime({
    port: 0,
    dynamoEndpoint: inject('dynamoEndpoint'),
    tableName: `crm-browser-${name}-${Date.now()}`,
    defaultTimezone: 'Asia/Shanghai',
    consoleDir: dist,
  });
  const api = apiClient(runtime.url);
  const admin = await api.token('admin');
  const call: ConsoleFixture['call'] = async (method, path, body) => {
    const response = await api.call(method, path, { token: admin, ...(body === undefined ? {} : { body }) });
    if (response.status >= 300)
      throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  };
  const browser = await launchBrowser().catch(async (error) => {
    await runtime.stop();
    throw error;
  });
  return {
    runtime,
    browser,
    call,
    stop: async () => {
      await browser.close();
      await runtime.stop();
    },
  };
};
