import { describe, expect, it } from 'vitest';
import { OffsetTimestamp } from '../../shared/domain/common.ts';
import { isIanaTimeZone, isLocale, toUtcIso } from '../../shared/domain/time.ts';

describe('time zones', () => {
  it.each(['Asia/Shanghai', 'America/Argentina/Buenos_Aires', 'UTC', 'Europe/London', 'Etc/GMT+8'])(
    'accepts %s',
    (zone) => {
      expect(isIanaTimeZone(zone)).toBe(true);
    },
  );
  it.each(['+08:00', 'CST', 'Mars/Olympus', 'asia/shanghai ', '', 'Asia/Shanghai/'])('rejects %s', (zone) => {
    expect(isIanaTimeZone(zone)).toBe(false);
  });
});

describe('timestamps', () => {
  it('requires an offset or Z', () => {
    expect(OffsetTimestamp.safeParse('2026-11-22T10:00:00+08:00').success).toBe(true);
    expect(OffsetTimestamp.safeParse('2026-11-22T02:00:00Z').success).toBe(true);
    expect(OffsetTimestamp.safeParse('2026-11-22T10:00:00').success).toBe(false);
    expect(OffsetTimestamp.safeParse('2026-11-22').success).toBe(false);
  });
  it('normalises to UTC', () => {
    expect(toUtcIso('2026-11-22T10:00:00+08:00')).toBe('2026-11-22T02:00:00.000Z');
  });
  it('checks locales', () => {
    expect(isLocale('zh-CN')).toBe(true);
    expect(isLocale('not a locale!')).toBe(false);
  });
});
