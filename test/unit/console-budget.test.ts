import { describe, expect, it } from 'vitest';
import { FIRST_LOAD_BUDGET, measureConsoleBundle } from '../../bench/console-bundle.ts';

describe('the web console bundle', () => {
  it('keeps the first load within 200 KiB of gzipped JavaScript, with charts loaded on demand', async () => {
    const bundle = await measureConsoleBundle();
    expect(bundle.firstLoadGzip).toBeGreaterThan(5 * 1024);
    expect(bundle.firstLoadGzip).toBeLessThanOrEqual(FIRST_LOAD_BUDGET);
    // uPlot is the biggest dependency; it must stay out of the first load.
    expect(bundle.lazy.map((chunk) => chunk.holds)).toContain('uplot');
  });
});
