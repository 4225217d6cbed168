import { describe, expect, it } from 'vitest';
import { parseResults, renderResults, renderSection } from '../../bench/results-file.ts';

const section = (title: string, value: string) => ({
  title,
  rows: [
    ['measure', 'value'],
    ['x', value],
  ],
});

describe('bench/RESULTS.md, one section per step', () => {
  it('replaces only the section of the step that ran, and keeps the others in step order', () => {
    const before = renderResults(
      new Map([
        ['imports', renderSection(section('Customer import, 100,000 rows', '1'), 'at 09:00')],
        ['fan-out', renderSection(section('Broadcast fan-out (10,000 customers)', '2'), 'at 09:00')],
      ]),
      'a machine',
    );
    const sections = parseResults(before);
    expect([...sections.keys()]).toEqual(['fan-out', 'imports']);
    sections.set('fan-out', renderSection(section('Broadcast fan-out (10,000 customers)', '3'), 'at 10:00'));
    const after = renderResults(sections, 'a machine');
    expect(after).toContain('| x | 1 |');
    expect(after).toContain('| x | 3 |');
    expect(after).not.toContain('| x | 2 |');
    expect(after).toContain('Measured at 10:00.');
    // Fan-out comes before imports in the file, whatever order they ran in.
    expect(after.indexOf('## Broadcast fan-out')).toBeLessThan(after.indexOf('## Customer import'));
  });

  it('recognises a failed step by its title, so the next success replaces it', () => {
    const failed = renderResults(
      new Map([['hot-keys', renderSection(section('Hot keys: FAILED', 'boom'), 'now')]]),
      'm',
    );
    expect([...parseResults(failed).keys()]).toEqual(['hot-keys']);
  });
});
