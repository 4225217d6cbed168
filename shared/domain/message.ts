import * as z from 'zod';
import { Id, ListQuery, UtcTimestamp } from './common.ts';

/**
 * The only statuses a message ever shows. `deferred` waits for the recipient's send window, quiet
 * hours or frequency cap and always ends in one of the others; those four are final.
 */
export const messageStatuses = ['deferred', 'sent', 'suppressed', 'failed', 'holdout'] as const;
export const finalStatuses = ['sent', 'suppressed', 'failed', 'holdout'] as const;
export type MessageStatus = (typeof messageStatuses)[number];

export const Message = z
  .object({
    id: z.string(),
    campaignId: Id,
    customerId: Id,
    channel: z.enum(['email', 'sms']),
    to: z.string().optional(),
    subject: z.string().optional(),
    body: z.string().optional(),
    status: z.enum(messageStatuses),
    reason: z.string().optional(),
    variant: z.string().optional(),
    providerMessageId: z.string().optional(),
    /** When it was sent; for other statuses, when that status was decided. */
    sentAt: UtcTimestamp,
    /** For a deferred message: when it will be tried again. */
    deferredUntil: UtcTimestamp.optional(),
    /** Sends attempted through the provider. */
    attempts: z.number().int(),
    touchpointId: z.string().optional(),
    purchaseId: z.string().optional(),
    sku: z.string().optional(),
    skus: z.array(z.string()).optional(),
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

/** Why a message was not sent and never will be; stored as `reason` on a suppressed message. */
export const suppressionReasons = [
  'campaign-not-active',
  'campaign-deleted',
  'customer-deleted',
  'no-consent',
  'no-address',
  'opted-out',
] as const;
export type SuppressionReason = (typeof suppressionReasons)[number];

/** Why a message waits; stored as `reason` on a deferred message. */
export const deferralReasons = ['outside-send-window', 'quiet-hours', 'frequency-cap'] as const;
export type DeferralReason = (typeof deferralReasons)[number];
