import { describe, expect, it } from 'vitest';
import { localDate, zonedToUtc } from '../../shared/domain/zoned-time.ts';

const at = (date: string, time: string, zone: string) => {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  return zonedToUtc({ year, month, day, hour, minute }, zone).toISOString();
};

describe('local time in an IANA zone → UTC', () => {
  it.each([
    ['2026-11-29', '10:00', 'Asia/Shanghai', '2026-11-29T02:00:00.000Z'],
    ['2026-07-01', '10:00', 'Europe/London', '2026-07-01T09:00:00.000Z'],
    ['2026-01-01', '10:00', 'Europe/London', '2026-01-01T10:00:00.000Z'],
    ['2026-03-01', '09:00', 'Asia/Kolkata', '2026-03-01T03:30:00.000Z'],
    ['2026-12-31', '23:30', 'Pacific/Auckland', '2026-12-31T10:30:00.000Z'],
    ['2026-06-15', '08:00', 'America/Sao_Paulo', '2026-06-15T11:00:00.000Z'],
    // New York springs forward 2026-03-08 02:00 → 03:00: 02:30 does not exist and moves to 03:30 EDT.
    ['2026-03-08', '02:30', 'America/New_York', '2026-03-08T07:30:00.000Z'],
    ['2026-03-08', '03:30', 'America/New_York', '2026-03-08T07:30:00.000Z'],
    // New York falls back 2026-11-01 02:00 → 01:00: 01:30 happens twice; the earlier (EDT) wins.
    ['2026-11-01', '01:30', 'America/New_York', '2026-11-01T05:30:00.000Z'],
    // Berlin springs forward 2026-03-29 02:00 → 03:00 and falls back 2026-10-25 03:00 → 02:00.
    ['2026-03-29', '02:15', 'Europe/Berlin', '2026-03-29T01:15:00.000Z'],
    ['2026-10-25', '02:30', 'Europe/Berlin', '2026-10-25T00:30:00.000Z'],
    // Lord Howe moves by 30 minutes.
    ['2026-10-04', '02:15', 'Australia/Lord_Howe', '2026-10-03T15:45:00.000Z'],
  ])('%s %s in %s is %s', (date, time, zone, expected) => {
    expect(at(date, time, zone)).toBe(expected);
  });

  it('gives the local calendar date of an instant', () => {
    expect(localDate(new Date('2026-11-22T17:00:00Z'), 'Asia/Shanghai')).toBe('2026-11-23');
    expect(localDate(new Date('2026-11-22T17:00:00Z'), 'America/Los_Angeles')).toBe('2026-11-22');
  });
});
