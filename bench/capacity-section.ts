import { readFileSync, writeFileSync } from 'node:fs';
import { startDynamoDbLocal } from '../infra/local/dynamodb.ts';
import { capacity } from './capacity.ts';
import { table } from './stats.ts';

/**
 * `npm run bench:capacity`: runs only the capacity section and replaces it in bench/RESULTS.md,
 * leaving every other section (and the run header) as the full bench wrote it.
 */
process.env.LOG_LEVEL ??= 'SILENT';
const dynamo = await startDynamoDbLocal();
try {
  const { section } = await capacity(dynamo);
  const text = [
    `## ${section.title}`,
    '',
    table(section.rows),
    '',
    ...(section.notes ?? []).map((n) => `- ${n}`),
  ].join('\n');
  process.stdout.write(`${text}\n`);
  if (process.argv.includes('--write')) {
    const path = new URL('./RESULTS.md', import.meta.url);
    const results = readFileSync(path, 'utf8');
    const start = results.indexOf('## DynamoDB capacity per business operation');
    if (start < 0) throw new Error('no capacity section in bench/RESULTS.md');
    const end = results.indexOf('\n## ', start + 3);
    const stamp = `\nCapacity section regenerated alone with \`npm run bench:capacity -- --write\` at ${new Date().toISOString()}.\n`;
    writeFileSync(path, `${results.slice(0, start)}${text}\n${stamp}${end < 0 ? '' : results.slice(end)}`);
  }
} finally {
  await dynamo.stop();
}
