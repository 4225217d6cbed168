import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BuildOptions, type BuildResult, build, buildSync, type Metafile } from 'esbuild';

import { consoleRoot, defaultConsoleDist } from './paths.ts';

export { consoleRoot, defaultConsoleDist };

const options = (outdir: string): BuildOptions => ({
  entryPoints: { main: join(consoleRoot, 'src/main.tsx') },
  bundle: true,
  // Route-level chunks (charts, the developer panel) load on first use, keeping the first load small.
  splitting: true,
  format: 'esm',
  platform: 'browser',
  target: ['es2022'],
  outdir: join(outdir, 'assets'),
  entryNames: '[name]-[hash]',
  chunkNames: 'chunk-[hash]',
  assetNames: '[name]-[hash]',
  minify: true,
  metafile: true,
  legalComments: 'none',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'silent',
});

/** Writes index.html naming the hashed entry files; no inline script, so the CSP can be script-src 'self'. */
const writeIndex = (outdir: string, metafile: Metafile) => {
  const entry = Object.entries(metafile.outputs).find(([, output]) =>
    output.entryPoint?.endsWith('main.tsx'),
  );
  if (!entry) throw new Error('console build produced no entry');
  const [js, output] = entry;
  const href = (file: string) => `/assets/${basename(file)}`;
  const css = output.cssBundle ? `\n    <link rel="stylesheet" href="${href(output.cssBundle)}" />` : '';
  writeFileSync(
    join(outdir, 'index.html'),
    `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>CRM console</title>
    <link rel="icon" href="data:," />${css}
    <script type="module" src="${href(js)}"></script>
  </head>
  <body>
    <div id="app"></div>
    <noscript>The CRM console needs JavaScript.</noscript>
  </body>
</html>
`,
  );
};

const prepare = (outdir: string) => {
  rmSync(join(outdir, 'assets'), { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
};

/** Builds the console into outdir (index.html + assets/); config.json is the host's to add. */
export const buildConsole = async (outdir = defaultConsoleDist): Promise<Metafile> => {
  prepare(outdir);
  const result: BuildResult = await build(options(outdir));
  const metafile = result.metafile as Metafile;
  writeIndex(outdir, metafile);
  return metafile;
};

const newest = (dir: string): number =>
  Math.max(
    0,
    ...readdirSync(dir, { withFileTypes: true }).map((entry) => {
      const path = join(dir, entry.name);
      return entry.isDirectory() ? newest(path) : statSync(path).mtimeMs;
    }),
  );

/** Builds unless outdir already holds a build newer than every source file (what `npm start` does). */
export const ensureConsoleBuilt = async (outdir = defaultConsoleDist): Promise<boolean> => {
  const index = join(outdir, 'index.html');
  if (existsSync(index) && statSync(index).mtimeMs >= newest(join(consoleRoot, 'src'))) return false;
  await buildConsole(outdir);
  return true;
};

/** The same build, synchronously: CDK's local bundling hook cannot await. */
export const buildConsoleSync = (outdir: string): Metafile => {
  prepare(outdir);
  const metafile = buildSync(options(outdir)).metafile as Metafile;
  writeIndex(outdir, metafile);
  return metafile;
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const metafile = await buildConsole(process.argv[2] ?? defaultConsoleDist);
  for (const [file, output] of Object.entries(metafile.outputs)) {
    console.log(`${relative(process.cwd(), file)}  ${(output.bytes / 1024).toFixed(1)} KiB`);
  }
}
