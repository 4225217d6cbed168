import * as z from 'zod';
import { ListQuery, UtcTimestamp } from './common.ts';

export const suppressionReasons = ['opt-out', 'unsubscribe', 'bounce', 'complaint', 'manual'] as const;
export type SuppressionReasonCode = (typeof suppressionReasons)[number];
export const Channel = z.enum(['sms', 'email']);
export type Channel = z.infer<typeof Channel>;

/** One address that must not get marketing: an SMS opt-out, an unsubscribe link, an SES bounce or complaint, or a manual entry. */
export const Suppression = z
  .object({
    channel: Channel,
    /** E.164 for SMS; lower-cased for email. */
    address: z.string(),
    reason: z.enum(suppressionReasons),
    /** Where it came from: sms-reply, aliyun-sms-reply, unsubscribe-link, ses, or admin:<sub>. */
    source: z.string(),
    createdAt: UtcTimestamp,
    customerId: z.string().optional(),
  })
  .meta({ id: 'Suppression' });
export type Suppression = z.infer<typeof Suppression>;

export const SuppressionInput = z
  .strictObject({ channel: Channel, address: z.string().trim().min(3).max(320), reason: z.literal('manual') })
  .meta({ id: 'SuppressionInput' });

export const SuppressionQuery = ListQuery.extend({
  channel: Channel.optional(),
  address: z.string().trim().min(3).max(320).optional(),
}).refine((q) => !q.address || q.channel, { message: 'give channel with address', path: ['channel'] });

export const SuppressionParams = z.strictObject({ channel: Channel, address: z.string().min(3).max(320) });

/** Reasons written before the list had reason codes ("STOP reply", "unsubscribe link", …). */
export const reasonCode = (reason: string): SuppressionReasonCode => {
  const lower = reason.toLowerCase();
  if ((suppressionReasons as readonly string[]).includes(lower)) return lower as SuppressionReasonCode;
  if (lower.includes('stop')) return 'opt-out';
  if (lower.includes('unsubscribe')) return 'unsubscribe';
  return 'manual';
};
