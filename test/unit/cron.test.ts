import { describe, expect, it } from 'vitest';
import { cronError, nextCronMinute, parseCron } from '../../shared/domain/cron.ts';

describe('EventBridge cron expressions', () => {
  it.each([
    '0 10 ? * MON *',
    '0/15 9-17 ? * MON-FRI *',
    '30 8 1 * ? *',
    '0 12 ? JAN,JUL 2,4 2026-2030',
    // Everything AWS documents: last day (L), nearest weekday (W), nth weekday (#).
    '0 10 L * ? *',
    '0 10 15W * ? *',
    '0 10 ? * 6L *',
    '0 10 ? * 2#3 *',
    '0 10 ? * L *',
  ])('accepts %s', (e) => {
    expect(cronError(e)).toBeUndefined();
  });
  it.each([
    ['0 10 * * MON *', /exactly one/],
    ['0 10 ? * MON', /6 fields/],
    ['61 10 ? * MON *', /out of range/],
    ['0 25 ? * * *', /out of range/],
    ['a b ? d e f', /not valid/],
    ['0 10 ? * FOO *', /day-of-week/],
    ['0 10 ? * 2#9 *', /day-of-week/],
    [`0 10 ? * ${'1,'.repeat(60)}1 *`, /at most 100/],
  ])('rejects %s', (e, message) => {
    expect(cronError(e)).toMatch(message);
  });

  it('finds the next Monday 10:00 after a Saturday', () => {
    // 2026-11-21 is a Saturday.
    expect(
      nextCronMinute(parseCron('0 10 ? * MON *'), { year: 2026, month: 11, day: 21, hour: 12, minute: 0 }),
    ).toEqual({
      year: 2026,
      month: 11,
      day: 23,
      hour: 10,
      minute: 0,
    });
  });

  it('evaluates L, W and # as AWS does', () => {
    const from = { year: 2026, month: 11, day: 23, hour: 0, minute: 0 };
    // Last day of November 2026; third Monday of December; the weekday nearest 15 Nov (a Sunday) is 16 Nov.
    expect(nextCronMinute(parseCron('0 10 L * ? *'), from)).toMatchObject({ month: 11, day: 30 });
    expect(nextCronMinute(parseCron('0 10 ? * 2#3 *'), from)).toMatchObject({ month: 12, day: 21 });
    expect(
      nextCronMinute(parseCron('0 10 15W * ? *'), { year: 2026, month: 11, day: 1, hour: 0, minute: 0 }),
    ).toMatchObject({ month: 11, day: 16 });
  });

  it('never reports an impossible date (31 February) as a rolled-over one', () => {
    expect(
      nextCronMinute(parseCron('0 10 31 2 ? 2027'), { year: 2026, month: 11, day: 23, hour: 0, minute: 0 }),
    ).toBeUndefined();
  });

  it('steps through minutes and stops at the last year', () => {
    const cron = parseCron('0/20 9 ? * * 2026');
    expect(nextCronMinute(cron, { year: 2026, month: 5, day: 1, hour: 9, minute: 20 })).toMatchObject({
      hour: 9,
      minute: 40,
    });
    expect(nextCronMinute(cron, { year: 2026, month: 12, day: 31, hour: 9, minute: 40 })).toBeUndefined();
  });
});
