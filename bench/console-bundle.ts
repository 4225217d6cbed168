import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Metafile } from 'esbuild';
import { buildConsole } from '../console/build.ts';
import type { Section } from './stats.ts';

/** The console's budget for the JavaScript a first visit downloads, gzipped. */
export const FIRST_LOAD_BUDGET = 200 * 1024;

export interface ConsoleBundle {
  /** Gzipped bytes of the entry and every chunk it imports statically (what index.html loads). */
  firstLoadGzip: number;
  firstLoadFiles: string[];
  /** Chunks loaded on demand (pages, charts), each gzipped. */
  lazy: { file: string; gzip: number; holds: string }[];
  css: number;
}

/** The biggest source a chunk holds, e.g. node_modules/uplot or console/src/pages/automation.tsx. */
const mainInput = (output: Metafile['outputs'][string] | undefined) => {
  const [path = ''] =
    Object.entries(output?.inputs ?? {}).sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput)[0] ?? [];
  return path.replace(/^.*node_modules\/([^/]+).*$/, '$1').replace(/^.*console\/src\//, '');
};

const gzip = (path: string) => gzipSync(readFileSync(path), { level: 9 }).length;

/** Builds the console as production does and follows the entry's static imports. */
export const measureConsoleBundle = async (): Promise<ConsoleBundle> => {
  const dir = mkdtempSync(join(tmpdir(), 'crm-console-bench-'));
  try {
    const metafile: Metafile = await buildConsole(dir);
    const outputs = metafile.outputs;
    const entry = Object.keys(outputs).find((file) => outputs[file]?.entryPoint?.endsWith('main.tsx'));
    if (!entry) throw new Error('no console entry');
    const first = new Set<string>();
    const visit = (file: string) => {
      if (first.has(file)) return;
      first.add(file);
      for (const imported of outputs[file]?.imports ?? []) {
        if (imported.kind === 'import-statement' && !imported.external) visit(imported.path);
      }
    };
    visit(entry);
    const js = Object.keys(outputs).filter((file) => file.endsWith('.js'));
    const css = Object.keys(outputs).filter((file) => file.endsWith('.css'));
    // Output paths in the metafile are relative to the working directory.
    const abs = (file: string) => join(dir, 'assets', basename(file));
    return {
      firstLoadGzip: [...first].reduce((sum, file) => sum + gzip(abs(file)), 0),
      firstLoadFiles: [...first].map((file) => basename(file)),
      lazy: js
        .filter((file) => !first.has(file))
        .map((file) => ({ file: basename(file), gzip: gzip(abs(file)), holds: mainInput(outputs[file]) })),
      css: css.reduce((sum, file) => sum + gzip(abs(file)), 0),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

export const consoleBundle = async (): Promise<Section> => {
  const bundle = await measureConsoleBundle();
  const lazyTotal = bundle.lazy.reduce((sum, c) => sum + c.gzip, 0);
  return {
    title: 'Web console first load',
    rows: [
      ['what', 'gzipped', 'budget', 'verdict'],
      [
        `first-load JS (${bundle.firstLoadFiles.length} file${bundle.firstLoadFiles.length === 1 ? '' : 's'})`,
        kib(bundle.firstLoadGzip),
        kib(FIRST_LOAD_BUDGET),
        bundle.firstLoadGzip <= FIRST_LOAD_BUDGET ? 'met' : 'missed',
      ],
      ['CSS', kib(bundle.css), '', ''],
      [`lazy chunks (${bundle.lazy.length})`, kib(lazyTotal), '', ''],
    ],
    notes: [
      'Built with the production settings (console/build.ts: minified ESM, code splitting); gzip level 9, as CloudFront or a static server would send it.',
      'First load is the entry plus every chunk it imports statically; pages behind lazy() and the chart library (uPlot) load on first use.',
      `Lazy chunks: ${[...bundle.lazy]
        .sort((a, b) => b.gzip - a.gzip)
        .map((c) => `${c.holds} ${kib(c.gzip)}`)
        .join(', ')}.`,
    ],
  };
};

if (process.argv[1]?.endsWith('console-bundle.ts')) {
  const section = await consoleBundle();
  const { table } = await import('./stats.ts');
  process.stdout.write(
    `## ${section.title}\n\n${table(section.rows)}\n\n${section.notes?.map((n) => `- ${n}`).join('\n')}\n`,
  );
}
