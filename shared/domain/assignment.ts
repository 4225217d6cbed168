import { createHash } from 'node:crypto';
import type { Campaign, MessageTemplate } from './campaign.ts';

/**
 * A number in [0, 1) that depends only on the purpose, campaign and customer: the same customer
 * always lands in the same group of the same campaign, on every retry and every Lambda. The purpose
 * is hashed in so the holdout draw and the variant draw are independent of each other.
 */
export const stableFraction = (purpose: string, campaignId: string, customerId: string): number =>
  createHash('sha256').update(`${purpose}|${campaignId}|${customerId}`).digest().readUInt32BE(0) / 2 ** 32;

/** Whether the customer is in the campaign's control group (holdoutPercent of customers). */
export const isHeldOut = (campaign: Pick<Campaign, 'id' | 'holdoutPercent'>, customerId: string): boolean =>
  (campaign.holdoutPercent ?? 0) > 0 &&
  stableFraction('holdout', campaign.id, customerId) * 100 < (campaign.holdoutPercent ?? 0);

/** The customer's variant, picked by weight; undefined for a campaign with one message. */
export const variantFor = (
  campaign: Pick<Campaign, 'id' | 'variants'>,
  customerId: string,
): { name: string; message: MessageTemplate } | undefined => {
  const variants = campaign.variants;
  if (!variants || variants.length === 0) return undefined;
  const total = variants.reduce((sum, v) => sum + v.weight, 0);
  let point = stableFraction('variant', campaign.id, customerId) * total;
  for (const variant of variants) {
    if (point < variant.weight) return variant;
    point -= variant.weight;
  }
  return variants[variants.length - 1];
};

/** The message this customer gets: their variant's, or the campaign's one message. */
export const messageFor = (
  campaign: Pick<Campaign, 'id' | 'variants' | 'message'>,
  customerId: string,
): { variant?: string; message: MessageTemplate } => {
  const variant = variantFor(campaign, customerId);
  if (variant) return { variant: variant.name, message: variant.message };
  if (!campaign.message) throw new Error(`campaign ${campaign.id} has neither message nor variants`);
  return { message: campaign.message };
};
