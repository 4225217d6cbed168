/**
 * How a CSV row becomes the JSON the API takes: columns are JSON field paths (`consent.sms`,
 * `attributes.card`), list fields hold `|`-separated values, an empty cell is an absent field.
 * Only the shape is made here; the API's own zod schemas validate the result, so a row is held to
 * exactly the rules of the same request made over HTTP.
 */

/** Customer fields that are lists of strings. */
const LIST_FIELDS = new Set(['interests', 'tags']);
const TRUE = new Set(['true', 'yes', '1']);
const FALSE = new Set(['false', 'no', '0']);

/** `true`/`false` (also yes/no, 1/0) become booleans; anything else stays a string for zod to reject. */
const booleanOf = (text: string): boolean | string => {
  const lower = text.trim().toLowerCase();
  if (TRUE.has(lower)) return true;
  if (FALSE.has(lower)) return false;
  return text;
};

/** A number when the cell is one, else the text, so zod names the field. */
export const numberOf = (text: string): number | string => {
  const trimmed = text.trim();
  return trimmed !== '' && Number.isFinite(Number(trimmed)) ? Number(trimmed) : text;
};

const setPath = (target: Record<string, unknown>, path: string[], value: unknown) => {
  let node = target;
  for (const part of path.slice(0, -1)) {
    const next = node[part];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[path[path.length - 1] as string] = value;
};

/** A customers-file row as a CustomerInput-shaped object (not yet validated). */
export const customerFromRow = (row: Record<string, string>): Record<string, unknown> => {
  const input: Record<string, unknown> = {};
  for (const [column, cell] of Object.entries(row)) {
    if (cell.trim() === '') continue;
    const value = LIST_FIELDS.has(column)
      ? cell
          .split('|')
          .map((part) => part.trim())
          .filter((part) => part !== '')
      : column.startsWith('consent.')
        ? booleanOf(cell)
        : cell;
    setPath(input, column.split('.'), value);
  }
  return input;
};

/** The columns of a purchases file: one row per item, rows of one receipt next to each other. */
export const PURCHASE_COLUMNS = [
  'externalId',
  'customerExternalId',
  'customerId',
  'phone',
  'purchasedAt',
  'sku',
  'quantity',
  'unitPrice',
  'storeId',
] as const;

export interface PurchaseRow {
  externalId: string;
  customer:
    | { by: 'customerExternalId'; value: string }
    | { by: 'customerId'; value: string }
    | { by: 'phone'; value: string }
    | undefined;
  purchasedAt: string;
  storeId: string | undefined;
  item: { sku: string; quantity: number | string; unitPrice?: number | string };
  /** Columns the format does not know. */
  unknownColumns: string[];
}

/** A purchases-file row, shaped; the customer is found by the first of the three columns given. */
export const purchaseFromRow = (row: Record<string, string>): PurchaseRow => {
  const cell = (column: string) => row[column]?.trim() ?? '';
  const customer = (['customerExternalId', 'customerId', 'phone'] as const)
    .map((by) => ({ by, value: cell(by) }))
    .find((c) => c.value !== '');
  return {
    externalId: cell('externalId'),
    customer,
    purchasedAt: cell('purchasedAt'),
    storeId: cell('storeId') || undefined,
    item: {
      sku: cell('sku'),
      quantity: numberOf(cell('quantity')),
      ...(cell('unitPrice') === '' ? {} : { unitPrice: numberOf(cell('unitPrice')) }),
    },
    unknownColumns: Object.keys(row).filter(
      (column) => !(PURCHASE_COLUMNS as readonly string[]).includes(column),
    ),
  };
};
