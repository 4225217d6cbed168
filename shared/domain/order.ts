import * as z from 'zod';
import { Id, ListQuery, UtcTimestamp, Version } from './common.ts';

export const orderStatuses = ['pending', 'ready-to-ship', 'shipped', 'completed'] as const;

export const Order = z
  .object({
    id: Id,
    customerId: Id,
    opportunityId: Id.optional(),
    /** Set when the order was recorded by winning a lead. */
    leadId: Id.optional(),
    items: z
      .array(z.object({ sku: z.string(), quantity: z.number().int(), unitPrice: z.number().optional() }))
      .optional(),
    amount: z.number(),
    status: z.enum(orderStatuses),
    createdAt: UtcTimestamp,
    updatedAt: UtcTimestamp,
    version: Version,
  })
  .meta({ id: 'Order' });
export type Order = z.infer<typeof Order>;

export const OrderPatch = z.strictObject({ status: z.enum(orderStatuses) }).meta({ id: 'OrderPatch' });

export const OrderListQuery = ListQuery.extend({
  customerId: Id.optional(),
});
