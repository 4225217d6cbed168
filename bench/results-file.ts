import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { type Section, table } from './stats.ts';

/**
 * bench/RESULTS.md, one section per step, each rewritten as soon as its step ends: a run that
 * stops (or a step run alone) keeps every other section as it was, and each section says when and
 * by which command it was measured.
 */
export const TITLES = {
  'cold-start': 'Cold start per function',
  'console-bundle': 'Web console first load',
  'request-overhead': 'Request overhead',
  capacity: 'DynamoDB capacity per business operation',
  'fan-out': 'Broadcast fan-out',
  inbound: 'Inbound replies',
  contention: 'Contention',
  'exactly-once': 'Exactly once at scale',
  'hot-keys': 'Hot keys',
  imports: 'Customer import',
} as const;
export type Step = keyof typeof TITLES;
export const STEPS = Object.keys(TITLES) as Step[];

const stepOf = (heading: string) => STEPS.find((s) => heading.startsWith(TITLES[s]));

/** The file's sections by step (markdown after the `## ` heading line, heading included). */
export const parseResults = (markdown: string): Map<Step, string> => {
  const sections = new Map<Step, string>();
  for (const chunk of markdown.split(/^(?=## )/m).slice(1)) {
    const step = stepOf(chunk.slice(3));
    if (step) sections.set(step, chunk.trimEnd());
  }
  return sections;
};

export const renderSection = (section: Section, measured: string) =>
  [
    `## ${section.title}`,
    '',
    `Measured ${measured}.`,
    '',
    table(section.rows),
    '',
    ...(section.notes ?? []).map((n) => `- ${n}`),
  ].join('\n');

export const renderResults = (sections: Map<Step, string>, machine: string) =>
  [
    '# Benchmark results',
    '',
    `Written by \`npm run bench\` (bench/run.ts) on ${machine}. Every figure sits next to a baseline measured in the same step, so the ratios hold on a noisy machine; each section says when it was measured.`,
    ...STEPS.flatMap((step) => {
      const section = sections.get(step);
      return section ? ['', section] : [];
    }),
    '',
  ].join('\n');

export const updateResults = (
  path: string,
  step: Step,
  section: Section,
  measured: string,
  machine: string,
) => {
  const sections = existsSync(path) ? parseResults(readFileSync(path, 'utf8')) : new Map<Step, string>();
  // A failed step's section is titled with the step's title too, so the next success replaces it.
  sections.set(step, renderSection(section, measured));
  writeFileSync(path, renderResults(sections, machine));
};
