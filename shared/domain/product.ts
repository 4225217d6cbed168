import * as z from 'zod';
import { Sku, UtcTimestamp, Version } from './common.ts';
import { money } from './input-limits.ts';

export const ProductInput = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    category: z.string().trim().min(1).max(100),
    lifespanDays: z.number().int().min(1).max(3650).optional(),
    careTips: z.string().max(5000).optional(),
    price: money(100_000_000),
  })
  .meta({ id: 'ProductInput' });
export type ProductInput = z.infer<typeof ProductInput>;

export const Product = z
  .object({
    ...ProductInput.shape,
    sku: Sku,
    createdAt: UtcTimestamp,
    updatedAt: UtcTimestamp,
    version: Version,
  })
  .meta({ id: 'Product' });
export type Product = z.infer<typeof Product>;

export const ProductParams = z.strictObject({ sku: Sku });
