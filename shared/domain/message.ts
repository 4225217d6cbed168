import * as z from 'zod';
import { Id, ListQuery, UtcTimestamp } from './common.ts';

export const messageStatuses = ['sent', 'suppressed', 'failed'] as const;

export const Message = z
  .object({
    id: z.string(),
    campaignId: Id,
    customerId: Id,
    channel: z.enum(['email', 'sms']),
    to: z.string().optional(),
    subject: z.string().optional(),
    body: z.string().optional(),
    status: z.enum(['sending', 'retry', ...messageStatuses]),
    reason: z.string().optional(),
    providerMessageId: z.string().optional(),
    sentAt: UtcTimestamp,
    attempts: z.number().int(),
    touchpointId: z.string().optional(),
    purchaseId: z.string().optional(),
    sku: z.string().optional(),
    occurrence: z.string().optional(),
  })
  .meta({ id: 'Message' });
export type Message = z.infer<typeof Message>;

export const MessageListQuery = ListQuery.extend({
  customerId: Id.optional(),
  campaignId: Id.optional(),
}).refine((q) => q.customerId || q.campaignId, {
  message: 'give customerId or campaignId',
  path: ['customerId'],
});

/** Why a message was not sent; stored as `reason` on a suppressed message. */
export const suppressionReasons = [
  'campaign-not-active',
  'campaign-deleted',
  'customer-deleted',
  'no-consent',
  'no-address',
  'opted-out',
  'outside-send-window',
  'frequency-cap',
] as const;
export type SuppressionReason = (typeof suppressionReasons)[number];
