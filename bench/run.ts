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
import { type Step as ResultStep, STEPS, TITLES, updateResults } from './results-file.ts';
import { type MeasuredFigures, scaleModel } from './scale-model.ts';
import { type Section, table } from './stats.ts';

/**
 * `npm run bench` runs every step; `npm run bench -- hot-keys fan-out` runs only the named ones.
 * Each step rewrites its own section of bench/RESULTS.md as soon as it ends (so a run cut short
 * keeps what it measured), and bench/SCALE.md is rewritten once capacity, fan-out and hot-keys
 * have run. `--hot-keys=N` and `--exactly-once=N` change those steps' audience sizes.
 */
type Step = ResultStep;
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
const hotKeyAudience = option('hot-keys', 10_000);
const exactlyOnceAudience = option('exactly-once', 20_000);

// A bench that stops without saying why is worse than one that fails. A run of this file once
// ended with no message before its hot-keys step; every step ran alone to completion, so the likely
// causes are outside a step: a signal from outside (a broad pkill on this shared machine ends a
// process silently, with no 'exit' event), or an unsettled top-level await (exit code 13). Every
// way out is now reported, and each step's section is written as it ends, so a cut-short run
// keeps what it measured.
let finished = false;
let current = 'start';
let dynamoLocal: RunningDynamo | undefined;
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
  process.on(signal, () => {
    process.stderr.write(`bench: ${signal} received during ${current}; stopping\n`);
    // DynamoDB Local is a child Java process; leave none behind.
    void (dynamoLocal?.stop() ?? Promise.resolve()).finally(() =>
      process.exit(128 + (signal === 'SIGHUP' ? 1 : signal === 'SIGINT' ? 2 : 15)),
    );
  });
}
process.on('unhandledRejection', (reason) => {
  process.stderr.write(`bench: unhandled rejection: ${(reason as Error)?.stack ?? String(reason)}\n`);
  process.exitCode = 1;
});
process.on('exit', (code) => {
  if (!finished) process.stderr.write(`bench: stopped during ${current} (exit code ${code})\n`);
});

const failures: string[] = [];
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}/${process.arch}`;
const command = `npm run bench${args.length > 0 ? ` -- ${args.join(' ')}` : ''}`;
const record = (name: Step, section: Section, seconds: number) =>
  updateResults(
    'bench/RESULTS.md',
    name,
    section,
    `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC by \`${command}\` in ${Math.round(seconds)} s`,
    machine,
  );
const step = async <T>(name: Step, run: () => Promise<{ section: Section } & T>): Promise<T | undefined> => {
  if (!selected.has(name)) return undefined;
  current = `step ${name}`;
  process.stdout.write(`… ${name} (${new Date().toISOString()})\n`);
  const t0 = performance.now();
  try {
    const result = await run();
    const { section } = result;
    record(name, section, (performance.now() - t0) / 1000);
    process.stdout.write(
      `\n## ${section.title}\n\n${table(section.rows)}\n\n${(section.notes ?? []).map((n) => `- ${n}`).join('\n')}\n\n(${name}: ${Math.round((performance.now() - t0) / 1000)} s)\n\n`,
    );
    return result;
  } catch (error) {
    // One failing step does not hide the others' figures; the run still ends with a failure.
    const message = (error as Error)?.message ?? String(error);
    failures.push(`${name}: ${message}`);
    record(
      name,
      { title: `${TITLES[name]}: FAILED`, rows: [['error'], [message]] },
      (performance.now() - t0) / 1000,
    );
    process.stderr.write(`\nbench step ${name} FAILED:\n${(error as Error)?.stack ?? message}\n\n`);
    return undefined;
  }
};
const only = (section: Section) => ({ section });

process.env.LOG_LEVEL ??= 'SILENT';
const needsDynamo = [...selected].some((s) => s !== 'cold-start' && s !== 'console-bundle');
const dynamo: RunningDynamo | undefined = needsDynamo ? await startDynamoDbLocal() : undefined;
dynamoLocal = dynamo;
if (dynamo) {
  try {
    // The broadcast steps first: they feed bench/SCALE.md, written as soon as their figures exist.
    const measured = await step<{ figures: CapacityFigures }>('capacity', () => capacity(dynamo));
    const fan = await step<{ rawItemsPerSecond: number }>('fan-out', () => fanOut(dynamo));
    const contended = await step<{ contendedItems: string[] }>('contention', () => contention(dynamo));
    const twin = await step<{ count: TwinCount }>('exactly-once', () =>
      exactlyOnce(dynamo, exactlyOnceAudience),
    );
    // The broadcast's hot keys are counted on the exactly-once run; alone, the step runs its own.
    const hot = await step<{ figures: HotKeyFigures }>('hot-keys', async () =>
      hotKeys(dynamo, twin?.count ?? (await broadcastOnTheTwin(dynamo.endpoint, hotKeyAudience))),
    );
    if (measured && fan && hot) {
      const op = (prefix: string) => {
        const found = measured.figures.operations.find((o) => o.op.startsWith(prefix));
        if (!found) throw new Error(`no capacity figure for ${prefix}`);
        return found;
      };
      const model: MeasuredFigures = {
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
      writeFileSync('bench/SCALE.md', scaleModel(model));
      process.stdout.write('wrote bench/SCALE.md\n');
    }
    await step('inbound', async () => only(await inboundReplies(dynamo)));
    await step('request-overhead', async () => only(await requestOverhead(dynamo)));
    await step('imports', async () => only(await imports(dynamo)));
  } finally {
    await dynamo.stop();
  }
}
await step('console-bundle', async () => only(await consoleBundle()));
await step('cold-start', async () => only(await coldStart()));
process.stdout.write(`bench/RESULTS.md updated: ${[...selected].join(', ')}\n`);
finished = true;
if (failures.length > 0) {
  process.stderr.write(
    `bench: ${failures.length} step(s) failed:\n${failures.map((f) => `- ${f}`).join('\n')}\n`,
  );
  process.exitCode = 1;
}
