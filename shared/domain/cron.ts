import awsCronParser from 'aws-cron-parser';

/**
 * EventBridge Scheduler cron expressions: `minutes hours day-of-month month day-of-week year`,
 * where exactly one of day-of-month and day-of-week is `?`, with everything AWS documents: `*`,
 * `?`, lists, ranges, steps, names (JAN, MON), `L`, `W` and `#`.
 *
 * Evaluation (ranges, L/W/#, next occurrence) is aws-cron-parser's. It assumes AWS validated the
 * expression already (it reads "a b c d e f" as a cron that never fires, and does not enforce the
 * `?` rule), so the grammar of each field and the length are checked here first.
 */
export const MAX_CRON_LENGTH = 100;

const list = (item: string) => new RegExp(`^(?:${item})(?:,(?:${item}))*$`, 'i');
const number = '\\d{1,4}';
const range = (value: string) => `(?:\\*|${value}(?:-${value})?)(?:/\\d{1,4})?`;
const MONTH = '(?:\\d{1,2}|JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)';
const DAY = '(?:[1-7]|SUN|MON|TUE|WED|THU|FRI|SAT)';

const FIELDS: { name: string; grammar: RegExp }[] = [
  { name: 'minutes', grammar: list(range(number)) },
  { name: 'hours', grammar: list(range(number)) },
  {
    name: 'day-of-month',
    grammar:
      /^(?:\?|L|\d{1,2}W|(?:(?:\*|\d{1,2}(?:-\d{1,2})?)(?:\/\d{1,2})?)(?:,(?:\*|\d{1,2}(?:-\d{1,2})?)(?:\/\d{1,2})?)*)$/,
  },
  { name: 'month', grammar: list(range(MONTH)) },
  {
    name: 'day-of-week',
    grammar: new RegExp(`^(?:\\?|L|[1-7]L|[1-7]#[1-5]|${list(range(DAY)).source.slice(1, -1)})$`, 'i'),
  },
  { name: 'year', grammar: list(range(number)) },
];

export interface Cron {
  expression: string;
  parsed: ReturnType<typeof awsCronParser.parse>;
}

export const parseCron = (expression: string): Cron => {
  if (expression.length > MAX_CRON_LENGTH) throw new Error(`must be at most ${MAX_CRON_LENGTH} characters`);
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 6)
    throw new Error('needs 6 fields: minutes hours day-of-month month day-of-week year');
  if ((parts[2] === '?') === (parts[4] === '?'))
    throw new Error('exactly one of day-of-month and day-of-week must be ?');
  FIELDS.forEach((field, i) => {
    if (!field.grammar.test(parts[i] as string)) throw new Error(`${field.name} "${parts[i]}" is not valid`);
  });
  let parsed: Cron['parsed'];
  try {
    parsed = awsCronParser.parse(parts.join(' '));
  } catch (error) {
    // The library words range errors as "Invalid: number 99 is not between 0 and 59".
    throw new Error(`out of range: ${(error as Error).message.replace(/^Invalid:\s*/, '')}`);
  }
  const values = Object.values(parsed) as unknown[][];
  if (values.some((field) => field.some((value) => value === null || Number.isNaN(value))))
    throw new Error('has a value out of range');
  return { expression, parsed };
};

export const cronError = (expression: string): string | undefined => {
  try {
    parseCron(expression);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
};

/** Whether the date really is one the expression names (month, and a plain day of month). */
const isNamed = (cron: Cron, date: Date) => {
  const { months, daysOfMonth } = cron.parsed as unknown as { months: number[]; daysOfMonth: unknown[] };
  if (!months.includes(date.getUTCMonth() + 1)) return false;
  const plainDays = daysOfMonth.every((day) => typeof day === 'number');
  return !plainDays || daysOfMonth.length === 0 || daysOfMonth.includes(date.getUTCDate());
};

type WallClock = { year: number; month: number; day: number; hour: number; minute: number };

/**
 * The first local minute strictly after `after` (a local wall-clock minute) that the expression
 * names, or undefined when there is none (a past year). The wall clock is evaluated as if it were
 * UTC, which is how aws-cron-parser counts.
 */
export const nextCronMinute = (cron: Cron, after: WallClock): WallClock | undefined => {
  let from = new Date(Date.UTC(after.year, after.month - 1, after.day, after.hour, after.minute));
  let next: Date | null = null;
  // The library rolls an impossible date over (31 February becomes 3 March); such a result is skipped.
  for (let tries = 0; tries < 1000; tries++) {
    try {
      next = awsCronParser.next(cron.parsed, from);
    } catch {
      return undefined;
    }
    if (!next || next.getTime() <= from.getTime()) return undefined;
    if (isNamed(cron, next)) break;
    from = next;
    next = null;
  }
  if (!next) return undefined;
  return {
    year: next.getUTCFullYear(),
    month: next.getUTCMonth() + 1,
    day: next.getUTCDate(),
    hour: next.getUTCHours(),
    minute: next.getUTCMinutes(),
  };
};
