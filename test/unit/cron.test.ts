import { describe, expect, it } from 'vitest';
import { cronError, nextCronMinute, parseCron } from '../../shared/domain/cron.ts';

describe('EventBridge cron expressions', () => {
  it.each(['0 10 ? * MON *', '0/15 9-17 ? * MON-FRI *', '30 8 1 * ? *', '0 12 ? JAN,JUL 2,4 2026-2030'])(
    'accepts %s',
    (e) => {
      expect(cronError(e)).toBeUndefined();
    },
  );
  it.each([
    ['0 10 * * MON *', /exactly one/],
    ['0 10 ? * MON', /6 fields/],
    ['61 10 ? * MON *', /out of range/],
    ['0 10 L * ? *', /not supported/],
    ['0 25 ? * * *', /out of range/],
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

  it('steps through minutes and stops at the last year', () => {
    const cron = parseCron('0/20 9 ? * * 2026');
    expect(nextCronMinute(cron, { year: 2026, month: 5, day: 1, hour: 9, minute: 20 })).toMatchObject({
      hour: 9,
      minute: 40,
    });
    expect(nextCronMinute(cron, { year: 2026, month: 12, day: 31, hour: 9, minute: 40 })).toBeUndefined();
  });
});
