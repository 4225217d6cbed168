import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { type RunningDynamo, startDynamoDbLocal } from '../infra/local/dynamodb.ts';
import { type CapacityFigures, capacity } from './capacity.ts';
import { coldStart } from './cold-start.ts';
import { consoleBundle } from './console-bundle.ts';
import { contention } from './contention.ts';
import { broadcastOnTheTwin, exactlyOnce } from './exactly-once.ts';
import { fanOut } from './fan-out.ts';
import { type HotKeyFigures, hotKeys } from './hot-keys.ts';
import { imports } from './imports.ts';
import { inboundReplies } from './inbound.ts';
import { requestOverhead } from './request-overhead.ts';
import { type MeasuredFigures, scaleModel } from './scale-model.ts';
import { type Section, table } from './stats.ts';

/**
 * `npm run bench` runs every step and rewrites bench/RESULTS.md and bench/SCALE.md;
 * `npm run bench -- hot-keys fan-out` runs only the named steps and prints them (the files are
 * rewritten only by a whole run, so they never mix runs). `--hot-keys=N` and `--exactly-once=N`
 * change those steps' audience sizes.
 */
const STEPS = [
  'cold-start',
  'console-bundle',
  'request-overhead',
  'capacity',
  'fan-out',
  'inbound',
  'contention',
  'exactly-once',
  'hot-keys',
  'imports',
] as const;
type Step = (typeof STEPS)[number];
type TwinCount = Awaited<ReturnType<typeof broadcastOnTheTwin>>;

const args = process.argv.slice(2);
const option = (name: string, fallback: number) =>
  Number(
    new RegExp(`^--${name}=(\\d+)$`).exec(args.find((a) => a.startsWith(`--${name}=`)) ?? '')?.[1] ??
      fallback,
  );
const named = args.filter((a) => !a.startsWith('--'));
const unknown = named.filter((a) => !(STEPS as readonly string[]).includes(a));
if (unknown.length > 0) {
  process.stderr.write(`unknown bench step(s): ${unknown.join(', ')}; steps are: ${STEPS.join(', ')}\n`);
  process.exit(2);
}
const selected = new Set<Step>(named.length > 0 ? (named as Step[]) : STEPS);
const whole = selected.size === STEPS.length;
const hotKeyAudience = option('hot-keys', 10_000);
const exactlyOnceAudience = option('exactly-once', 20_000);

// A bench that stops without saying why is worse than one that fails: the last run of this file
// ended silently (an unsettled top-level await exits with code 13 and no message), so every way
// out is reported.
let finished = false;
process.on('unhandledRejection', (reason) => {
  process.stderr.write(`bench: unhandled rejection: ${(reason as Error)?.stack ?? String(reason)}\n`);
  process.exitCode = 1;
});
process.on('exit', (code) => {
  if (!finished) process.stderr.write(`bench: stopped before finishing (exit code ${code})\n`);
});

const sections: Section[] = [];
const failures: string[] = [];
const started = Date.now();
const step = async <T>(name: Step, run: () => Promise<{ section: Section } & T>): Promise<T | undefined> => {
  if (!selected.has(name)) return undefined;
  process.stdout.write(`… ${name} (${new Date().toISOString()})\n`);
  const t0 = performance.now();
  try {
    const result = await run();
    const { section } = result;
    sections.push(section);
    process.stdout.write(
      `\n## ${section.title}\n\n${table(section.rows)}\n\n${(section.notes ?? []).map((n) => `- ${n}`).join('\n')}\n\n(${name}: ${Math.round((performance.now() - t0) / 1000)} s)\n\n`,
    );
    return result;
  } catch (error) {
    // One failing step does not hide the others' figures; the run still ends with a failure.
    const message = (error as Error)?.stack ?? String(error);
    failures.push(`${name}: ${(error as Error)?.message ?? String(error)}`);
    sections.push({
      title: `${name}: FAILED`,
      rows: [['error'], [String((error as Error)?.message ?? error)]],
    });
    process.stderr.write(`\nbench step ${name} FAILED:\n${message}\n\n`);
    return undefined;
  }
};
const only = (section: Section) => ({ section });

process.env.LOG_LEVEL ??= 'SILENT';
await step('cold-start', async () => only(await coldStart()));
await step('console-bundle', async () => only(await consoleBundle()));
let model: MeasuredFigures | undefined;
const needsDynamo = [...selected].some((s) => s !== 'cold-start' && s !== 'console-bundle');
const dynamo: RunningDynamo | undefined = needsDynamo ? await startDynamoDbLocal() : undefined;
if (dynamo) {
  try {
    await step('request-overhead', async () => only(await requestOverhead(dynamo)));
    const measured = await step<{ figures: CapacityFigures }>('capacity', () => capacity(dynamo));
    const fan = await step<{ rawItemsPerSecond: number }>('fan-out', () => fanOut(dynamo));
    await step('inbound', async () => only(await inboundReplies(dynamo)));
    const contended = await step<{ contendedItems: string[] }>('contention', () => contention(dynamo));
    const twin = await step<{ count: TwinCount }>('exactly-once', () =>
      exactlyOnce(dynamo, exactlyOnceAudience),
    );
    // The broadcast's hot keys are counted on the exactly-once run; alone, the step runs its own.
    const hot = await step<{ figures: HotKeyFigures }>('hot-keys', async () =>
      hotKeys(dynamo, twin?.count ?? (await broadcastOnTheTwin(dynamo.endpoint, hotKeyAudience))),
    );
    await step('imports', async () => only(await imports(dynamo)));
    if (measured && fan && hot) {
      const op = (prefix: string) => {
        const found = measured.figures.operations.find((o) => o.op.startsWith(prefix));
        if (!found) throw new Error(`no capacity figure for ${prefix}`);
        return found;
      };
      model = {
        operations: measured.figures.operations,
        deliverTouchpoint: op('deliver a touchpoint'),
        recordPurchase: op('record a purchase'),
        inboundReply: op('handle an inbound reply'),
        broadcastRecipient: {
          rcu: hot.figures.rcuPerRecipient,
          wcu: hot.figures.wcuPerRecipient,
          indexWrites: hot.figures.indexWritesPerRecipient,
        },
        deliveryIndexWrites: op('deliver a touchpoint').indexWrites,
        pagingItemsPerSecond: fan.rawItemsPerSecond,
        busiestShare: hot.figures.busiestShare,
        contendedItems: contended?.contendedItems,
        twinBroadcast: twin && {
          audience: twin.count.audience,
          seconds: twin.count.seconds,
          continuations: twin.count.continuations,
        },
      };
    }
  } finally {
    await dynamo.stop();
  }
}

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}/${process.arch}`;
const report = [
  '# Benchmark results',
  '',
  `Command: \`npm run bench\` · machine: ${machine} · run: ${new Date().toISOString()} · took ${Math.round((Date.now() - started) / 1000)} s`,
  '',
  'Every figure sits next to a baseline measured in the same run, so the ratios hold on a noisy machine.',
  ...sections.flatMap((s) => [
    '',
    `## ${s.title}`,
    '',
    table(s.rows),
    '',
    ...(s.notes ?? []).map((n) => `- ${n}`),
  ]),
  '',
].join('\n');
if (whole) {
  writeFileSync('bench/RESULTS.md', report);
  if (model) writeFileSync('bench/SCALE.md', scaleModel(model));
  process.stdout.write(`wrote bench/RESULTS.md${model ? ' and bench/SCALE.md' : ''} (${machine})\n`);
} else {
  process.stdout.write(
    `ran ${[...selected].join(', ')}; bench/RESULTS.md and bench/SCALE.md are rewritten only by a whole run\n`,
  );
}
finished = true;
if (failures.length > 0) {
  process.stderr.write(
    `bench: ${failures.length} step(s) failed:\n${failures.map((f) => `- ${f}`).join('\n')}\n`,
  );
  process.exitCode = 1;
}
