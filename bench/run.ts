import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { startDynamoDbLocal } from '../infra/local/dynamodb.ts';
import { capacity } from './capacity.ts';
import { coldStart } from './cold-start.ts';
import { consoleBundle } from './console-bundle.ts';
import { fanOut } from './fan-out.ts';
import { hotKeys } from './hot-keys.ts';
import { imports } from './imports.ts';
import { inboundReplies } from './inbound.ts';
import { requestOverhead } from './request-overhead.ts';
import { type MeasuredFigures, scaleModel } from './scale-model.ts';
import { type Section, table } from './stats.ts';

const sections: Section[] = [];
const started = Date.now();
const step = async (name: string, run: () => Promise<Section>) => {
  process.stdout.write(`… ${name}\n`);
  const section = await run();
  sections.push(section);
  process.stdout.write(
    `\n## ${section.title}\n\n${table(section.rows)}\n\n${(section.notes ?? []).map((n) => `- ${n}`).join('\n')}\n\n`,
  );
};

process.env.LOG_LEVEL ??= 'SILENT';
await step('cold start', () => coldStart());
await step('console bundle', () => consoleBundle());
const dynamo = await startDynamoDbLocal();
// `npm run bench -- --hot-keys=10000` runs the hot-key broadcast at full size (about 25 minutes on a
// loaded 2-core machine, since every delivery really runs); the default keeps the bench near 5 minutes.
const hotKeyAudience = Number(
  /^--hot-keys=(\d+)$/.exec(process.argv.find((a) => a.startsWith('--hot-keys=')) ?? '')?.[1] ?? 1_000,
);
let model: MeasuredFigures | undefined;
try {
  await step('request overhead', () => requestOverhead(dynamo));
  const measured = await capacity(dynamo);
  await step('capacity per operation', async () => measured.section);
  const fan = await fanOut(dynamo);
  await step('broadcast fan-out', async () => fan.section);
  await step('inbound replies', () => inboundReplies(dynamo));
  const hot = await hotKeys(dynamo, hotKeyAudience, hotKeyAudience);
  await step('hot keys', async () => hot.section);
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
  };
  await step('customer import', () => imports(dynamo));
} finally {
  await dynamo.stop();
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
writeFileSync('bench/RESULTS.md', report);
if (model) writeFileSync('bench/SCALE.md', scaleModel(model));
process.stdout.write(`wrote bench/RESULTS.md and bench/SCALE.md (${machine})\n`);
