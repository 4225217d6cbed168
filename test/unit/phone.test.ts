import { describe, expect, it } from 'vitest';
import { toE164 } from '../../shared/domain/phone.ts';

describe('toE164', () => {
  it.each([
    ['+8613800138000', undefined, '+8613800138000'],
    ['+86 138 0013 8000', undefined, '+8613800138000'],
    ['008613800138000', undefined, '+8613800138000'],
    ['+1 (415) 555-2671', undefined, '+14155552671'],
    ['13800138000', 'CN', '+8613800138000'],
    ['138-0013-8000', 'CN', '+8613800138000'],
  ])('reads %s (default country %s) as %s', async (input, country, expected) => {
    expect(await toE164(input, country)).toBe(expected);
  });

  it.each([
    ['13800138000', undefined],
    ['12', 'CN'],
    ['+86 123', undefined],
    ['not a phone', 'CN'],
  ])('rejects %s without guessing (default country %s)', async (input, country) => {
    expect(await toE164(input, country)).toBeUndefined();
  });
});
