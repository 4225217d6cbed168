import * as z from 'zod';
import type { FieldError } from './errors.ts';

/**
 * What any JSON the API accepts must stay within, so hostile input is a 400 naming the field
 * rather than a 5xx further down: DynamoDB stores numbers of magnitude 1e-130..1e126, and the
 * document client refuses numbers beyond ±(2^53 − 1) rather than lose precision; recursion over
 * deeply nested JSON overflows the stack; NUL and unpaired UTF-16 surrogates are not text.
 */
export const MAX_JSON_DEPTH = 32;
export const MIN_NUMBER_MAGNITUDE = 1e-130;

export const numberProblem = (value: number): string | undefined => {
  if (!Number.isFinite(value)) return 'must be a finite number';
  if (Math.abs(value) > Number.MAX_SAFE_INTEGER)
    return `must be between -${Number.MAX_SAFE_INTEGER} and ${Number.MAX_SAFE_INTEGER}`;
  if (value !== 0 && Math.abs(value) < MIN_NUMBER_MAGNITUDE) return 'is too close to zero to store';
  return undefined;
};

export const textProblem = (value: string): string | undefined => {
  if (value.includes('\u0000')) return 'must not contain NUL characters';
  if (!value.isWellFormed()) return 'must be well-formed Unicode (no lone surrogates)';
  return undefined;
};

/** A number DynamoDB can store exactly as sent. */
export const StorableNumber = z
  .number()
  .min(-Number.MAX_SAFE_INTEGER)
  .max(Number.MAX_SAFE_INTEGER)
  .refine((value) => numberProblem(value) === undefined, 'is too close to zero to store');

/** An amount of money: non-negative, at most `max`, whole hundredths (so 1e-200 is no price). */
export const money = (max: number) =>
  z
    .number()
    .nonnegative()
    .max(max)
    .refine((value) => Math.round(value * 100) / 100 === value, 'must have at most 2 decimal places');

/**
 * Every problem in parsed JSON: nesting past `maxDepth`, numbers DynamoDB cannot store, bad text
 * in values and in keys. Iterative, so a body nested thousands deep cannot overflow the stack.
 */
export const jsonProblems = (
  root: unknown,
  options: { prefix?: string[]; maxDepth?: number } = {},
): FieldError[] => {
  const maxDepth = options.maxDepth ?? MAX_JSON_DEPTH;
  const problems: FieldError[] = [];
  const stack: { value: unknown; path: string[] }[] = [{ value: root, path: options.prefix ?? [] }];
  const name = (path: string[]) => path.join('.') || '(body)';
  while (stack.length > 0 && problems.length < 20) {
    const { value, path } = stack.pop() as { value: unknown; path: string[] };
    if (typeof value === 'string') {
      const problem = textProblem(value);
      if (problem) problems.push({ path: name(path), message: problem });
    } else if (typeof value === 'number') {
      const problem = numberProblem(value);
      if (problem) problems.push({ path: name(path), message: problem });
    } else if (value !== null && typeof value === 'object') {
      if (path.length - (options.prefix?.length ?? 0) >= maxDepth) {
        problems.push({ path: name(path), message: `nests deeper than ${maxDepth} levels` });
        continue;
      }
      for (const [key, child] of Object.entries(value)) {
        const problem = textProblem(key);
        if (problem) problems.push({ path: name([...path, key]), message: `key ${problem}` });
        else stack.push({ value: child, path: [...path, key] });
      }
    }
  }
  return problems;
};
