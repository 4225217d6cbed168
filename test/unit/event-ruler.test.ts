import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type EventPattern, matchesPattern, patternErrors } from '../../shared/domain/event-pattern.ts';

/**
 * aws/event-ruler's own test cases (the engine behind EventBridge pattern matching), run against
 * our matcher. test/data/event-ruler/SOURCE.md says where they come from and what was left out.
 */
const dir = new URL('../data/event-ruler/', import.meta.url);
const load = (name: string) => JSON.parse(readFileSync(new URL(name, dir), 'utf8'));

type RuleText = EventPattern | string;
interface Case {
  source: string;
  rules: Record<string, RuleText>;
  events: { event?: unknown; eventFile?: string; name?: string; matches: string[] }[];
}

/** Ruler reads `"detail.tier": [...]` as `{ detail: { tier: [...] } }`; EventBridge patterns nest. */
const expandDots = (pattern: Record<string, unknown>): EventPattern => {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(pattern)) {
    const expanded =
      key === '$or' && Array.isArray(value)
        ? value.map((alternative) => expandDots(alternative as Record<string, unknown>))
        : value && typeof value === 'object' && !Array.isArray(value)
          ? expandDots(value as Record<string, unknown>)
          : value;
    const path = key === '$or' ? [key] : key.split('.');
    let node = out;
    for (const part of path.slice(0, -1)) {
      node[part] ??= {};
      node = node[part] as Record<string, unknown>;
    }
    node[path.at(-1) as string] = expanded;
  }
  return out as EventPattern;
};

const rule = (text: RuleText) => expandDots(typeof text === 'string' ? JSON.parse(text) : text);

const checks = (cases: Case[]) =>
  cases.flatMap((c, i) =>
    c.events.map((e, j) => ({
      label: `${c.source} [${i}.${j}]${e.name ? ` ${e.name}` : ''}`,
      rules: c.rules,
      event: e.eventFile ? load(e.eventFile) : e.event,
      expected: [...e.matches].sort(),
    })),
  );

const matching = (rules: Record<string, RuleText>, event: unknown) =>
  Object.entries(rules)
    .filter(([, text]) => matchesPattern(rule(text), event))
    .map(([name]) => name)
    .sort();

const machineTest = load('machine-test.json');
const dataFiles = load('data-files.json');
const all = [...checks(machineTest.cases), ...checks(dataFiles.matching)];

describe('aws/event-ruler test cases', () => {
  it.each(all)('$label', ({ rules, event, expected }) => {
    expect(matching(rules, event)).toEqual(expected);
  });

  const rules = (list: { name: string; rule: unknown }[]) => list.map(({ name, rule }) => ({ name, rule }));

  it.each(rules(dataFiles.valid))('accepts the valid rule $name', ({ rule }) => {
    expect(patternErrors(rule)).toEqual([]);
  });

  it.each(rules(dataFiles.invalid))('rejects the invalid rule $name', ({ rule }) => {
    expect(patternErrors(rule)).not.toEqual([]);
  });

  it('covers every case the data holds', () => {
    // 235 MachineTest events + 5 data-file events; if the data grows, the counts in SOURCE.md must too.
    expect(all).toHaveLength(240);
    expect(dataFiles.valid.length + dataFiles.invalid.length).toBe(11);
  });
});
