import { isDeepStrictEqual } from 'node:util';
import type * as z from 'zod';
import { OffsetTimestamp } from '../domain/common.ts';
import { customerFromRow, type PurchaseRow } from '../domain/csv-rows.ts';
import { type Customer, CustomerInput } from '../domain/customer.ts';
import { AppError, type FieldError, ValidationError } from '../domain/errors.ts';
import type { ImportError, RowOutcome } from '../domain/import.ts';
import { toE164 } from '../domain/phone.ts';
import type { Principal } from '../domain/principal.ts';
import type { Product } from '../domain/product.ts';
import { type Purchase, PurchaseInput, purchaseTotal } from '../domain/purchase.ts';
import { toUtcIso } from '../domain/time.ts';
import { fieldErrorsOf } from '../http/problem.ts';
import type { CrmDependencies } from '../ports/dependencies.ts';
import { createCustomer } from './customers.ts';
import { leadsFollowCustomer } from './lead-handover.ts';
import { stableId } from './stable-id.ts';

export type RowDeps = Pick<
  CrmDependencies,
  | 'customers'
  | 'products'
  | 'purchases'
  | 'timeline'
  | 'clock'
  | 'ids'
  | 'settings'
  | 'leads'
  | 'salesSettings'
  | 'tasks'
>;
export interface RowResult {
  outcome: RowOutcome;
  errors: ImportError[];
}

/** Imports run as the store's admin: the file names owners itself. */
const IMPORTER: Principal = { sub: 'import', roles: ['admin'] };

const toRowErrors = (row: number, errors: FieldError[]): ImportError[] =>
  errors.map((e) => ({ row, field: e.path || '(row)', message: e.message }));

const failed = (row: number, errors: FieldError[]): RowResult => ({
  outcome: 'failed',
  errors: toRowErrors(row, errors),
});

/** A domain failure (bad phone, number taken) fails the row; anything else fails the chunk, which is retried. */
const rowFailure = (row: number, error: unknown): RowResult => {
  if (error instanceof AppError && error.status < 500)
    return failed(row, error.errors ?? [{ path: '(row)', message: error.message }]);
  throw error;
};

/** The profile fields of a customer a row describes, as they would be stored. */
const profileOf = async (deps: RowDeps, input: CustomerInput) => {
  const phone =
    input.phone === undefined ? undefined : await toE164(input.phone, deps.settings.defaultPhoneCountry);
  if (input.phone !== undefined && !phone)
    throw ValidationError.field('phone', 'must be a valid phone number in E.164 form, e.g. +8613800138000');
  const profile: Record<string, unknown> = {
    ...input,
    phone,
    timezone: input.timezone ?? deps.settings.defaultTimezone,
  };
  for (const key of Object.keys(profile)) if (profile[key] === undefined) delete profile[key];
  return profile as Partial<Customer>;
};

/**
 * One customers-file row: found by its member number (`externalId`, required here), created when
 * new, updated when a field differs, left alone when nothing does. A re-run finds what it wrote.
 */
export const importCustomerRow = async (
  deps: RowDeps,
  row: number,
  cells: Record<string, string>,
  /** What a batch read found for the row's member number beforehand: saves two reads a row. */
  prefetched?: Map<string, Customer>,
): Promise<RowResult> => {
  const parsed = CustomerInput.safeParse(customerFromRow(cells));
  if (!parsed.success) return failed(row, fieldErrorsOf(parsed.error));
  const input = parsed.data;
  if (!input.externalId)
    return failed(row, [
      { path: 'externalId', message: 'is required: it is how a re-import finds the customer' },
    ]);
  try {
    for (let attempt = 1; ; attempt++) {
      const existing =
        attempt === 1 && prefetched
          ? prefetched.get(input.externalId)
          : await deps.customers
              .findIdByExternalId(input.externalId)
              .then((id) => (id ? deps.customers.get(id) : undefined));
      if (!existing) {
        try {
          await createCustomer(deps, IMPORTER, input);
          return { outcome: 'created', errors: [] };
        } catch (error) {
          // Another row with the same number won the race: go round and update that customer.
          if (attempt < 3 && error instanceof AppError && error.errors?.[0]?.path === 'externalId') continue;
          throw error;
        }
      }
      const profile = await profileOf(deps, input);
      const changed = Object.entries(profile).some(
        ([field, value]) => !isDeepStrictEqual(existing[field as keyof Customer], value),
      );
      if (!changed) return { outcome: 'unchanged', errors: [] };
      const next: Customer = {
        ...existing,
        ...profile,
        updatedAt: deps.clock.now().toISOString(),
        version: existing.version + 1,
      };
      if (await deps.customers.replace(existing, next)) {
        // A new owner from the file takes the customer's open leads along, as PATCH /customers does.
        if (next.ownerId && next.ownerId !== existing.ownerId)
          await leadsFollowCustomer(deps, next, IMPORTER.sub);
        return { outcome: 'updated', errors: [] };
      }
      if (attempt >= 3) throw new Error(`customer ${existing.id} kept changing during the import`);
    }
  } catch (error) {
    return rowFailure(row, error);
  }
};

const PurchaseItemInput = PurchaseInput.shape.items.element;
const StoreId = PurchaseInput.shape.storeId;
const issuesOf = (result: z.ZodSafeParseResult<unknown>, prefix: string[] = []): FieldError[] =>
  result.success ? [] : fieldErrorsOf(result.error, prefix);

/** A row's own problems, before any lookup: the same rules as POST /purchases. */
const rowProblems = (data: PurchaseRow, first: PurchaseRow): FieldError[] => [
  ...data.unknownColumns.map((column) => ({ path: column, message: 'is not a known column' })),
  ...(data.externalId === '' ? [{ path: 'externalId', message: 'is required (the receipt number)' }] : []),
  ...(data.customer
    ? []
    : [{ path: 'customerExternalId', message: 'give customerExternalId, customerId or phone' }]),
  ...issuesOf(OffsetTimestamp.safeParse(data.purchasedAt), ['purchasedAt']),
  ...issuesOf(StoreId.safeParse(data.storeId), ['storeId']),
  ...issuesOf(PurchaseItemInput.safeParse(data.item)),
  // Every row of a receipt says the same thing about the receipt.
  ...(data.purchasedAt !== first.purchasedAt
    ? [{ path: 'purchasedAt', message: 'differs from the receipt’s first row' }]
    : []),
  ...(!isDeepStrictEqual(data.customer, first.customer)
    ? [{ path: 'customerExternalId', message: 'differs from the receipt’s first row' }]
    : []),
];

const findCustomerId = async (deps: RowDeps, customer: NonNullable<PurchaseRow['customer']>) => {
  if (customer.by === 'customerExternalId') return deps.customers.findIdByExternalId(customer.value);
  if (customer.by === 'customerId') return (await deps.customers.get(customer.value))?.id;
  const e164 = await toE164(customer.value, deps.settings.defaultPhoneCountry);
  return e164 ? deps.customers.findIdByPhone(e164) : undefined;
};

/** What makes two versions of a receipt the same purchase. */
const sameReceipt = (a: Purchase, b: Purchase) =>
  a.storeId === b.storeId && a.total === b.total && isDeepStrictEqual(a.items, b.items);

/**
 * One receipt: the rows of a purchases file that share `externalId` (one row per item, next to each
 * other). Its id is derived from the receipt number and time, so a re-import finds it; a bad row
 * fails the whole receipt (a partial receipt would carry a wrong total). Every row gets the outcome.
 */
export const importPurchaseRows = async (
  deps: RowDeps,
  rows: { row: number; data: PurchaseRow }[],
  products: Map<string, Product>,
): Promise<RowResult[]> => {
  const first = rows[0]?.data as PurchaseRow;
  const all = (result: RowResult) => rows.map((_, i) => (i === 0 ? result : { ...result, errors: [] }));
  const problems = rows.flatMap(({ row, data }) => toRowErrors(row, rowProblems(data, first)));
  if (problems.length > 0) return all({ outcome: 'failed', errors: problems });
  const firstRow = rows[0]?.row as number;
  try {
    const customer = first.customer as NonNullable<PurchaseRow['customer']>;
    const customerId = await findCustomerId(deps, customer);
    if (!customerId) return all(failed(firstRow, [{ path: customer.by, message: 'no such customer' }]));
    const missing = rows.map((r) => r.data.item.sku).filter((sku) => !products.has(sku));
    if (missing.length > 0) {
      for (const [sku, product] of await deps.products.getMany([...new Set(missing)]))
        products.set(sku, product);
    }
    const unknown = rows.filter((r) => !products.has(r.data.item.sku));
    if (unknown.length > 0) {
      return all({
        outcome: 'failed',
        errors: unknown.map((r) => ({
          row: r.row,
          field: 'sku',
          message: `no product with sku ${r.data.item.sku}`,
        })),
      });
    }
    const items = rows.map(({ data }) => {
      const product = products.get(data.item.sku) as Product;
      return {
        sku: data.item.sku,
        quantity: data.item.quantity as number,
        unitPrice: (data.item.unitPrice as number | undefined) ?? product.price,
        name: product.name,
        category: product.category,
        ...(product.lifespanDays === undefined ? {} : { lifespanDays: product.lifespanDays }),
      };
    });
    const purchasedAt = toUtcIso(first.purchasedAt);
    const purchase: Purchase = {
      id: stableId(purchasedAt, `import-purchase#${first.externalId}`),
      customerId,
      purchasedAt,
      ...(first.storeId === undefined ? {} : { storeId: first.storeId }),
      externalId: first.externalId,
      items,
      total: purchaseTotal(items),
      createdAt: deps.clock.now().toISOString(),
    };
    const existing = await deps.purchases.get(customerId, purchase.id);
    if (!existing) {
      await deps.purchases.record(purchase);
      return all({ outcome: 'created', errors: [] });
    }
    if (sameReceipt(existing, purchase)) return all({ outcome: 'unchanged', errors: [] });
    await deps.purchases.replace(existing, { ...purchase, createdAt: existing.createdAt });
    return all({ outcome: 'updated', errors: [] });
  } catch (error) {
    return all(rowFailure(firstRow, error));
  }
};
