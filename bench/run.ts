import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { startDynamoDbLocal } from '../infra/local/dynamodb.ts';
import { capacity } from './capacity.ts';
import { coldStart } from './cold-start.ts';
import { fanOut } from './fan-out.ts';
import { imports } from './imports.ts';
import { inboundReplies } from './inbound.ts';
import { requestOverhead } from './request-overhead.ts';
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
const dynamo = await startDynamoDbLocal();
try {
  await step('request overhead', () => requestOverhead(dynamo));
  await step('capacity per operation', () => capacity(dynamo));
  await step('broadcast fan-out', () => fanOut(dynamo));
  await step('inbound replies', () => inboundReplies(dynamo));
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
process.stdout.write(`wrote bench/RESULTS.md (${machine})\n`);
