import * as z from 'zod';
import { Id, OffsetTimestamp, Sku, UtcTimestamp } from './common.ts';
import { money } from './input-limits.ts';

export const PurchaseInput = z
  .strictObject({
    customerId: Id,
    purchasedAt: OffsetTimestamp,
    storeId: z.string().min(1).max(64).optional(),
    items: z
      .array(
        z.strictObject({
          sku: Sku,
          quantity: z.number().int().min(1).max(10_000),
          /** Defaults to the product's current price. */
          unitPrice: money(100_000_000).optional(),
        }),
      )
      .min(1)
      .max(50),
  })
  .meta({ id: 'PurchaseInput' });
export type PurchaseInput = z.infer<typeof PurchaseInput>;

export const PurchaseItem = z.object({
  sku: Sku,
  quantity: z.number().int(),
  unitPrice: z.number(),
  /** A snapshot of the product at the time of sale, so later changes to the catalogue do not rewrite history. */
  name: z.string(),
  category: z.string(),
  lifespanDays: z.number().int().optional(),
});
export type PurchaseItem = z.infer<typeof PurchaseItem>;

export const Purchase = z
  .object({
    id: Id,
    customerId: Id,
    purchasedAt: UtcTimestamp,
    storeId: z.string().optional(),
    /** The receipt number of an imported purchase; re-importing it updates this purchase. */
    externalId: z.string().optional(),
    items: z.array(PurchaseItem),
    total: z.number(),
    createdAt: UtcTimestamp,
  })
  .meta({ id: 'Purchase' });
export type Purchase = z.infer<typeof Purchase>;

/** Money is summed in integer hundredths so 0.1 + 0.2 stays 0.3. */
export const purchaseTotal = (items: Pick<PurchaseItem, 'quantity' | 'unitPrice'>[]): number =>
  items.reduce((cents, item) => cents + Math.round(item.unitPrice * 100) * item.quantity, 0) / 100;
