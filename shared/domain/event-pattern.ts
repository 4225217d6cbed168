/**
 * EventBridge event-pattern matching (content filtering), for the local bus and for automation rule
 * conditions. Semantics follow AWS's "Content filtering in Amazon EventBridge event patterns":
 * every key must match (AND), any matcher in a key's list may match (OR), an array value matches
 * when any element does, and `$or` lists alternative sub-patterns.
 */
import { isIPv4, isIPv6 } from 'node:net';

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
    } else if (!matchesNested(expected as EventPattern, value)) {
      return false;
    }
  }
  return true;
};

/**
 * EventBridge flattens arrays: a nested pattern applies to every object in an array (of arrays),
 * and matches when one of them matches it whole, so the fields it names come from the same element
 * (Ruler's array-consistent `rulesForJSONEvent`).
 */
const matchesNested = (pattern: EventPattern, value: unknown): boolean => {
  if (!Array.isArray(value)) return matchesPattern(pattern, value);
  const elements = value.flat(Number.POSITIVE_INFINITY) as unknown[];
  if (elements.some((element) => isObject(element) && matchesPattern(pattern, element))) return true;
  // A pattern of only absent fields (exists: false) matches an array holding no object at all.
  return !elements.some(isObject) && matchesPattern(pattern, undefined);
};

const matchesLeaf = (matchers: Matcher[], value: unknown): boolean => {
  const values = Array.isArray(value) ? (value.flat(Number.POSITIVE_INFINITY) as unknown[]) : [value];
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

/** An IPv4 or IPv6 address as a number plus its width in bits, or undefined when it is not one. */
const ipAddress = (text: string): { value: bigint; width: 32 | 128 } | undefined => {
  if (isIPv4(text)) {
    return { value: text.split('.').reduce((total, part) => (total << 8n) + BigInt(part), 0n), width: 32 };
  }
  if (!isIPv6(text) || text.includes('.')) return undefined;
  const [head = '', tail] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups =
    tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  return { value: groups.reduce((total, group) => (total << 16n) + BigInt(`0x${group}`), 0n), width: 128 };
};

const parseCidr = (cidr: string): { network: bigint; prefix: number; width: 32 | 128 } | undefined => {
  const match = /^([^/]+)\/(\d{1,3})$/.exec(cidr);
  const address = match ? ipAddress(match[1] as string) : undefined;
  const prefix = Number(match?.[2]);
  if (!address || prefix > address.width) return undefined;
  const hostBits = BigInt(address.width - prefix);
  return { network: address.value >> hostBits, prefix, width: address.width };
};

const inCidr = (cidr: string, text: string): boolean => {
  const range = parseCidr(cidr);
  const address = ipAddress(text);
  if (!range || !address || address.width !== range.width) return false;
  return address.value >> BigInt(range.width - range.prefix) === range.network;
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

/** Bounds that keep evaluation cheap and the stored rule small; EventBridge's own pattern limit is 4096 bytes too. */
export const MAX_PATTERN_DEPTH = 10;
export const MAX_PATTERN_CHARS = 4096;

const isStringOrIgnoreCase = (argument: unknown) =>
  typeof argument === 'string' ||
  (isObject(argument) &&
    Object.keys(argument).length === 1 &&
    typeof argument['equals-ignore-case'] === 'string');

const isScalarList = (argument: unknown, type: 'string' | 'number' | 'any') =>
  Array.isArray(argument) &&
  argument.length > 0 &&
  argument.every((item) => (type === 'any' ? isScalar(item) : typeof item === type));

const isScalar = (value: unknown) => typeof value === 'string' || typeof value === 'number';

const anythingButProblem = (argument: unknown): string | undefined => {
  if (isScalar(argument) || isScalarList(argument, 'string') || isScalarList(argument, 'number')) return;
  if (isObject(argument) && Object.keys(argument).length === 1) {
    const [operator, inner] = Object.entries(argument)[0] as [string, unknown];
    const valid =
      ['prefix', 'suffix', 'wildcard', 'equals-ignore-case'].includes(operator) &&
      (typeof inner === 'string' || isScalarList(inner, 'string'));
    if (valid) return;
  }
  return 'anything-but needs a value, a list of strings or of numbers, or one of prefix, suffix, wildcard, equals-ignore-case';
};

/** The problem with one matcher's argument, or undefined when EventBridge would accept it. */
const matcherProblem = (operator: string, argument: unknown): string | undefined => {
  switch (operator) {
    case 'prefix':
    case 'suffix':
      return isStringOrIgnoreCase(argument) ? undefined : `${operator} needs a string`;
    case 'equals-ignore-case':
      return typeof argument === 'string' ? undefined : 'equals-ignore-case needs a string';
    case 'wildcard':
      return typeof argument === 'string' && !argument.includes('**')
        ? undefined
        : 'wildcard needs a string without consecutive *';
    case 'exists':
      return typeof argument === 'boolean' ? undefined : 'exists needs true or false';
    case 'cidr':
      return typeof argument === 'string' && parseCidr(argument) !== undefined
        ? undefined
        : 'cidr needs an IPv4 or IPv6 network such as 10.0.0.0/24';
    case 'anything-but':
      return anythingButProblem(argument);
    case 'numeric': {
      const valid =
        Array.isArray(argument) &&
        argument.length > 0 &&
        argument.length <= 4 &&
        argument.length % 2 === 0 &&
        argument.every((item, j) => (j % 2 === 0 ? String(item) in COMPARE : typeof item === 'number'));
      return valid ? undefined : 'numeric needs operator/number pairs';
    }
    default:
      return `unknown matcher ${operator}`;
  }
};

/** Structural problems in a pattern, by path, so a bad rule is rejected before it is stored. */
export const patternErrors = (pattern: unknown): { path: string; message: string }[] => {
  const size = JSON.stringify(pattern)?.length ?? 0;
  if (size > MAX_PATTERN_CHARS)
    return [{ path: '', message: `must be at most ${MAX_PATTERN_CHARS} characters of JSON` }];
  return structureErrors(pattern, []);
};

const structureErrors = (pattern: unknown, path: string[]): { path: string; message: string }[] => {
  if (!isObject(pattern)) return [{ path: path.join('.'), message: 'must be an object' }];
  if (path.length > MAX_PATTERN_DEPTH)
    return [{ path: path.join('.'), message: `nests deeper than ${MAX_PATTERN_DEPTH} levels` }];
  return Object.entries(pattern).flatMap(([key, value]) => {
    const here = [...path, key];
    if (key === '$or') {
      if (!Array.isArray(value) || value.length < 2)
        return [{ path: here.join('.'), message: '$or needs a list of at least two patterns' }];
      return value.flatMap((alternative, i) => {
        // An alternative keyed by a matcher name ({ numeric: [...] }) is a matcher misplaced, not a field.
        const misplaced =
          isObject(alternative) && Object.keys(alternative).some((name) => OPERATORS.has(name));
        return misplaced
          ? [{ path: [...here, String(i)].join('.'), message: '$or takes patterns, not matchers' }]
          : structureErrors(alternative, [...here, String(i)]);
      });
    }
    if (isObject(value)) return structureErrors(value, here);
    if (!Array.isArray(value) || value.length === 0) {
      return [{ path: here.join('.'), message: 'must be a non-empty list of values or matchers' }];
    }
    return value.flatMap((matcher, i) => {
      const at = [...here, String(i)].join('.');
      if (Array.isArray(matcher)) return [{ path: at, message: 'must be a value or a matcher, not a list' }];
      if (!isObject(matcher)) return [];
      const keys = Object.keys(matcher);
      const operator = keys[0];
      if (keys.length !== 1 || !operator || !OPERATORS.has(operator)) {
        return [{ path: at, message: `unknown matcher ${JSON.stringify(matcher).slice(0, 100)}` }];
      }
      const problem = matcherProblem(operator, matcher[operator]);
      return problem ? [{ path: at, message: problem }] : [];
    });
  });
};
