import { describe, expect, it } from 'vitest';
import { repeatFinder } from '../../shared/domain/import.ts';

describe('repeatFinder', () => {
  it('names the first row of a repeated member number, short or long (hashed)', () => {
    const finder = repeatFinder('customers');
    const long = (n: number) => `CARD-${String(n).padStart(59, '0')}`;
    ['A1', long(1), ' A1 ', long(2), '', long(1), 'a1'].forEach((id, i) => {
      finder.see(i + 1, id);
    });
    expect(finder.repeats).toEqual({ 3: 1, 6: 2 });
  });

  it('lets the rows of one receipt share a number, but not a receipt that comes back', () => {
    const finder = repeatFinder('purchases');
    ['R1', 'R1', 'R2', undefined, 'R2', 'R1', 'R1'].forEach((id, i) => {
      finder.see(i + 1, id);
    });
    expect(finder.repeats).toEqual({ 5: 3, 6: 1, 7: 1 });
  });
});
