import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { apiClient } from '../support/client.ts';
import { npmStart } from '../support/npm-start.ts';

const portIsClosed = (endpoint: string) =>
  new Promise<boolean>((resolve) => {
    const { hostname, port } = new URL(endpoint);
    const socket = connect(Number(port), hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });

const dataDir = mkdtempSync(join(tmpdir(), 'crm-e2e-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('npm start', () => {
  it('prints a banner, keeps data across a restart, and leaves no Java process behind on Ctrl-C', async () => {
    const first = await npmStart({ env: { CRM_DATA_DIR: dataDir } });
    expect(first.output()).toContain('Get a token');
    expect(first.output()).toContain(dataDir);
    const page = await fetch(`${first.url}/`);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('<div id="app">');
    const api = apiClient(first.url);
    const token = await api.token('admin');
    const created = await api.call('POST', '/customers', { token, body: { name: 'Persisted' } });
    expect(created.status).toBe(201);
    await first.stop();
    expect(first.output()).toContain('SIGINT: stopping');
    expect(await portIsClosed(first.dynamoEndpoint)).toBe(true);

    const second = await npmStart({ env: { CRM_DATA_DIR: dataDir } });
    try {
      const again = apiClient(second.url);
      // The token signing key is kept in the data folder too, so the old token still works.
      const read = await again.call('GET', `/customers/${created.body.id}`, { token });
      expect(read.status).toBe(200);
      expect(read.body.name).toBe('Persisted');
    } finally {
      await second.stop();
    }
    expect(await portIsClosed(second.dynamoEndpoint)).toBe(true);
    // Two full starts (DynamoDB Local, the table, the console build) on a shared machine.
  }, 180_000);
});
