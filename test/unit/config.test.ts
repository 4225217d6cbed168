import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { localRuntimeConfig, observabilityConfig, readConfig } from '../../shared/config.ts';

const sources = (dir: string): string[] =>
  readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith('.ts') ? [path] : [];
  });

describe('configuration is read in one place', () => {
  it('has no process.env read outside shared/config.ts ', () => {
    const readers = ['shared', 'functions', 'infra']
      .flatMap(sources)
      .filter((path) => /process\.env/.test(readFileSync(path, 'utf8')))
      .filter((path) => path !== join('shared', 'config.ts'));
    expect(readers).toEqual([]);
  });

  it('reads the local runtime settings with their defaults, and names a bad one', () => {
    expect(localRuntimeConfig([], {})).toEqual({
      port: 3000,
      inMemory: false,
      dataDir: '.data',
      defaultTimezone: 'Asia/Shanghai',
      defaultPhoneCountry: undefined,
    });
    expect(
      localRuntimeConfig(['node', 'main.ts', '--in-memory'], { PORT: '4000', DEFAULT_PHONE_COUNTRY: 'CN' }),
    ).toMatchObject({ port: 4000, inMemory: true, defaultPhoneCountry: 'CN' });
    expect(() => localRuntimeConfig([], { PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => localRuntimeConfig([], { DEFAULT_TIMEZONE: '+08:00' })).toThrow(/DEFAULT_TIMEZONE/);
  });

  it('gives Powertools its defaults and never fails a cold start on a log level', () => {
    expect(observabilityConfig({})).toEqual({
      POWERTOOLS_SERVICE_NAME: 'crm',
      LOG_LEVEL: 'INFO',
      POWERTOOLS_METRICS_NAMESPACE: 'Crm',
    });
    expect(observabilityConfig({ LOG_LEVEL: 'debug' }).LOG_LEVEL).toBe('DEBUG');
    expect(observabilityConfig({ LOG_LEVEL: 'loud' }).LOG_LEVEL).toBe('INFO');
  });

  it('still fails a function at cold start naming a missing capability variable', () => {
    expect(() => readConfig({ DEFAULT_TIMEZONE: 'Asia/Shanghai' }, ['events'])).toThrow(/EVENT_BUS_NAME/);
  });
});
