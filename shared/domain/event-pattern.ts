/**
 * EventBridge event-pattern matching (content filtering), for the local bus and for automation rule
 * conditions. Semantics follow AWS's "Content filtering in Amazon EventBridge event patterns":
 * every key must match (AND), any matcher in a key's list may match (OR), an array value matches
 * when any element does, and `$or` lists alternative sub-patterns.
 */
export type EventPattern = { [key: string]: EventPattern | Matcher[] | EventPattern[] };
type Scalar = string | number | boolean | null;
export type Matcher = Scalar | { [operator: string]: unknown };

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const matchesPattern = (pattern: EventPattern, event: unknown): boolean => {
  for (const [key, expected] of Object.entries(pattern)) {
    if (key === '$or') {
      if (!(expected as EventPattern[]).some((alternative) => matchesPattern(alternative, event)))
        return false;
      continue;
    }
    const value = isObject(event) ? event[key] : undefined;
    if (Array.isArray(expected)) {
      if (!matchesLeaf(expected as Matcher[], value)) return false;
    } else if (!matchesPattern(expected as EventPattern, value)) {
      return false;
    }
  }
  return true;
};

const matchesLeaf = (matchers: Matcher[], value: unknown): boolean => {
  const values = Array.isArray(value) ? value : [value];
  return matchers.some((matcher) => {
    if (isObject(matcher) && 'exists' in matcher) {
      const present = value !== undefined && !(Array.isArray(value) && value.length === 0);
      return matcher.exists === present;
    }
    return values.some((single) => single !== undefined && matchesOne(matcher, single));
  });
};

const matchesOne = (matcher: Matcher, value: unknown): boolean => {
  if (!isObject(matcher)) return matchesExact(matcher, value);
  const [operator, argument] = Object.entries(matcher)[0] ?? [];
  switch (operator) {
    case 'prefix':
      return matchesAffix(argument, value, (text, affix) => text.startsWith(affix));
    case 'suffix':
      return matchesAffix(argument, value, (text, affix) => text.endsWith(affix));
    case 'equals-ignore-case':
      return (
        typeof value === 'string' &&
        typeof argument === 'string' &&
        value.toLowerCase() === argument.toLowerCase()
      );
    case 'wildcard':
      return typeof value === 'string' && typeof argument === 'string' && wildcardRegex(argument).test(value);
    case 'numeric':
      return typeof value === 'number' && matchesNumeric(argument as unknown[], value);
    case 'anything-but':
      return matchesAnythingBut(argument, value);
    case 'cidr':
      return typeof value === 'string' && typeof argument === 'string' && inCidr(argument, value);
    default:
      return false;
  }
};

const matchesExact = (expected: Scalar, value: unknown): boolean => {
  if (typeof expected === 'number' && typeof value === 'number') return expected === value;
  return expected === value;
};

const matchesAffix = (
  argument: unknown,
  value: unknown,
  test: (text: string, affix: string) => boolean,
): boolean => {
  if (typeof value !== 'string') return false;
  if (typeof argument === 'string') return test(value, argument);
  if (isObject(argument) && typeof argument['equals-ignore-case'] === 'string') {
    return test(value.toLowerCase(), argument['equals-ignore-case'].toLowerCase());
  }
  return false;
};

const matchesAnythingBut = (argument: unknown, value: unknown): boolean => {
  if (Array.isArray(argument)) return !argument.some((excluded) => matchesExact(excluded as Scalar, value));
  if (isObject(argument)) {
    const [operator, inner] = Object.entries(argument)[0] ?? [];
    const list = Array.isArray(inner) ? inner : [inner];
    if (operator === 'equals-ignore-case') {
      return (
        typeof value === 'string' && !list.some((item) => String(item).toLowerCase() === value.toLowerCase())
      );
    }
    if (operator === 'prefix' || operator === 'suffix' || operator === 'wildcard') {
      return typeof value === 'string' && !list.some((item) => matchesOne({ [operator]: item }, value));
    }
    return false;
  }
  return !matchesExact(argument as Scalar, value);
};

const COMPARE: Record<string, (a: number, b: number) => boolean> = {
  '=': (a, b) => a === b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
};

const matchesNumeric = (conditions: unknown[], value: number): boolean => {
  for (let i = 0; i < conditions.length; i += 2) {
    const compare = COMPARE[String(conditions[i])];
    const bound = conditions[i + 1];
    if (!compare || typeof bound !== 'number' || !compare(value, bound)) return false;
  }
  return true;
};

const wildcardRegex = (pattern: string): RegExp => {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i] as string;
    if (char === '\\' && i + 1 < pattern.length) source += escapeRegex(pattern[++i] as string);
    else if (char === '*') source += '.*';
    else source += escapeRegex(char);
  }
  return new RegExp(`^${source}$`, 's');
};

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

const ipv4 = (address: string): number | undefined => {
  const parts = address.split('.').map(Number);
  if (parts.length !== 4 || parts.some((part) => !Number.isInteger(part) || part < 0 || part > 255))
    return undefined;
  return parts.reduce((total, part) => total * 256 + part, 0);
};

const inCidr = (cidr: string, address: string): boolean => {
  const [network = '', bits = '32'] = cidr.split('/');
  const base = ipv4(network);
  const candidate = ipv4(address);
  if (base === undefined || candidate === undefined) return false;
  const size = 2 ** (32 - Number(bits));
  return Math.floor(base / size) === Math.floor(candidate / size);
};

const OPERATORS = new Set([
  'prefix',
  'suffix',
  'equals-ignore-case',
  'wildcard',
  'numeric',
  'anything-but',
  'exists',
  'cidr',
]);

/** Structural problems in a pattern, by path, so a bad rule is rejected before it is stored. */
export const patternErrors = (pattern: unknown, path: string[] = []): { path: string; message: string }[] => {
  if (!isObject(pattern)) return [{ path: path.join('.'), message: 'must be an object' }];
  return Object.entries(pattern).flatMap(([key, value]) => {
    const here = [...path, key];
    if (key === '$or') {
      return Array.isArray(value) && value.length >= 2
        ? value.flatMap((alternative, i) => patternErrors(alternative, [...here, String(i)]))
        : [{ path: here.join('.'), message: '$or needs a list of at least two patterns' }];
    }
    if (isObject(value)) return patternErrors(value, here);
    if (!Array.isArray(value) || value.length === 0) {
      return [{ path: here.join('.'), message: 'must be a non-empty list of values or matchers' }];
    }
    return value.flatMap((matcher, i) => {
      if (!isObject(matcher)) return [];
      const keys = Object.keys(matcher);
      const operator = keys[0];
      if (keys.length !== 1 || !operator || !OPERATORS.has(operator)) {
        return [
          { path: [...here, String(i)].join('.'), message: `unknown matcher ${JSON.stringify(matcher)}` },
        ];
      }
      if (operator === 'numeric') {
        const conditions = matcher.numeric;
        const valid =
          Array.isArray(conditions) &&
          conditions.length > 0 &&
          conditions.length % 2 === 0 &&
          conditions.every((item, j) => (j % 2 === 0 ? String(item) in COMPARE : typeof item === 'number'));
        if (!valid)
          return [{ path: [...here, String(i)].join('.'), message: 'numeric needs operator/number pairs' }];
      }
      return [];
    });
  });
};
