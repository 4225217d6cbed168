/**
 * EventBridge Scheduler cron expressions: `minutes hours day-of-month month day-of-week year`,
 * where exactly one of day-of-month and day-of-week is `?`. Supports `*`, `?`, lists, ranges,
 * steps and names (JAN, MON); rejects what this project cannot evaluate locally (L, W, #).
 */
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

interface Field {
  min: number;
  max: number;
  names?: string[];
  /** Names count from this number (days of week are 1 = SUN in EventBridge). */
  nameBase?: number;
}

const FIELDS: Field[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: MONTHS, nameBase: 1 },
  { min: 1, max: 7, names: DAYS, nameBase: 1 },
  { min: 1970, max: 2199 },
];

const value = (text: string, field: Field): number => {
  const index = field.names?.indexOf(text.toUpperCase()) ?? -1;
  const number = index >= 0 ? index + (field.nameBase ?? 0) : Number(text);
  if (!Number.isInteger(number) || number < field.min || number > field.max)
    throw new Error(`${text} is out of range`);
  return number;
};

const expand = (text: string, field: Field): Set<number> | 'any' => {
  if (text === '*' || text === '?') return 'any';
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const [range = '', stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new Error(`bad step in ${part}`);
    const [from, to] =
      range === '*'
        ? [field.min, field.max]
        : range.includes('-')
          ? range.split('-').map((v) => value(v, field))
          : [value(range, field), stepText ? field.max : value(range, field)];
    if (from === undefined || to === undefined || from > to) throw new Error(`bad range ${part}`);
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values;
};

export interface Cron {
  fields: (Set<number> | 'any')[];
}

export const parseCron = (expression: string): Cron => {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 6)
    throw new Error('needs 6 fields: minutes hours day-of-month month day-of-week year');
  if ((parts[2] === '?') === (parts[4] === '?'))
    throw new Error('exactly one of day-of-month and day-of-week must be ?');
  const special = /#|^L$|^LW$|\dL$|\dW$/;
  if ([parts[2], parts[4]].some((part) => part?.split(',').some((token) => special.test(token)))) {
    throw new Error('L, W and # are not supported');
  }
  return { fields: parts.map((part, i) => expand(part, FIELDS[i] as Field)) };
};

export const cronError = (expression: string): string | undefined => {
  try {
    parseCron(expression);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
};

const has = (field: Set<number> | 'any' | undefined, v: number) => field === 'any' || field?.has(v) === true;

/** The first local minute strictly after `after` (a local wall-clock minute) that the expression names. */
export const nextCronMinute = (
  cron: Cron,
  after: { year: number; month: number; day: number; hour: number; minute: number },
): { year: number; month: number; day: number; hour: number; minute: number } | undefined => {
  const [minutes, hours, days, months, weekdays, years] = cron.fields;
  const cursor = new Date(Date.UTC(after.year, after.month - 1, after.day, after.hour, after.minute + 1));
  const limit = cursor.getTime() + 5 * 366 * 86_400_000;
  while (cursor.getTime() < limit) {
    const y = cursor.getUTCFullYear();
    const mo = cursor.getUTCMonth() + 1;
    const d = cursor.getUTCDate();
    const wd = cursor.getUTCDay() + 1;
    if (!has(years, y) || !has(months, mo) || !has(days, d) || !has(weekdays, wd)) {
      cursor.setUTCHours(0, 0, 0, 0);
      cursor.setUTCDate(cursor.getUTCDate() + 1);
      continue;
    }
    if (!has(hours, cursor.getUTCHours())) {
      cursor.setUTCMinutes(0);
      cursor.setUTCHours(cursor.getUTCHours() + 1);
      continue;
    }
    if (has(minutes, cursor.getUTCMinutes())) {
      return { year: y, month: mo, day: d, hour: cursor.getUTCHours(), minute: cursor.getUTCMinutes() };
    }
    cursor.setUTCMinutes(cursor.getUTCMinutes() + 1);
  }
  return undefined;
};
