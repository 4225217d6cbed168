import { stableFraction } from '../domain/assignment.ts';
import type { Campaign } from '../domain/campaign.ts';
import {
  buildReport,
  type CampaignReport,
  dayKey,
  matchingItems,
  REPORT_SHARDS,
  reportPartition,
  totalsKey,
  variantKey,
} from '../domain/campaign-report.ts';
import type { Message } from '../domain/message.ts';
import { type Purchase, purchaseTotal } from '../domain/purchase.ts';
import type { Satisfaction } from '../domain/survey.ts';
import { localDate } from '../domain/zoned-time.ts';
import type { BusEvent } from '../events/domain-event.ts';
import type { CrmDependencies } from '../ports/dependencies.ts';
import type { CounterDelta } from '../ports/event-counters.ts';
import { getCampaign } from './campaigns.ts';

/** A stream change that moves the effectiveness counters (see conversion-mapping.ts). */
export type CampaignEffect =
  | { id: string; kind: 'message'; message: Message }
  | { id: string; kind: 'reply'; satisfaction: Satisfaction };

/** Which of the REPORT_SHARDS copies of a counter row a write goes to. */
const reportShard = (id: string) => Math.floor(stableFraction('report-shard', '', id) * REPORT_SHARDS);

type StreamDeps = Pick<CrmDependencies, 'campaigns' | 'purchases' | 'exposures' | 'settings' | 'clock'>;

const deltasFor = (
  campaignId: string,
  shard: number,
  day: string,
  variant: string | undefined,
  fields: Record<string, number>,
  variantFields: Record<string, number> = fields,
): CounterDelta[] => {
  const partition = reportPartition(campaignId, shard);
  return [
    ...Object.entries(fields).map(([field, n]) => ({ partition, key: totalsKey(shard), field, n })),
    ...Object.entries(fields).map(([field, n]) => ({ partition, key: dayKey(day, shard), field, n })),
    ...(variant
      ? Object.entries(variantFields).map(([field, n]) => ({
          partition,
          key: variantKey(variant, shard),
          field,
          n,
        }))
      : []),
  ];
};

/** Categories of the items a lifecycle message was about, from the purchase's own snapshot. */
const categoriesOf = async (deps: StreamDeps, message: Message) => {
  if (!message.purchaseId) return [];
  const purchase = await deps.purchases.get(message.customerId, message.purchaseId);
  const asked = new Set(message.skus ?? (message.sku ? [message.sku] : []));
  return [
    ...new Set(
      (purchase?.items ?? []).filter((i) => asked.size === 0 || asked.has(i.sku)).map((i) => i.category),
    ),
  ];
};

/**
 * A message sent or held out: the customer's exposure (first message per campaign) is kept for
 * conversions, and sent/holdout are counted in total, per variant and per day. Safe to repeat: the
 * exposure is written once, and the counters remember the stream record id.
 */
const messageDeltas = async (
  deps: StreamDeps,
  campaignOf: (id: string) => Promise<Campaign | undefined>,
  message: Message,
): Promise<CounterDelta[]> => {
  const campaign = await campaignOf(message.campaignId);
  const holdout = message.status === 'holdout';
  if (campaign?.goal || message.variant) {
    const sameCategory = campaign?.goal && 'sameCategory' in campaign.goal.purchase;
    await deps.exposures.record({
      customerId: message.customerId,
      campaignId: message.campaignId,
      messageId: message.id,
      sentAt: message.sentAt,
      holdout,
      ...(message.variant ? { variant: message.variant } : {}),
      ...(campaign?.goal ? { goal: campaign.goal } : {}),
      categories: sameCategory ? await categoriesOf(deps, message) : [],
    });
  }
  const day = localDate(new Date(message.sentAt), deps.settings.defaultTimezone);
  // A held-out customer's variant is the one they would have had; per-variant rows count sends only.
  const variant = holdout ? undefined : message.variant;
  const field = holdout ? 'holdout' : 'sent';
  return deltasFor(message.campaignId, reportShard(message.id), day, variant, { [field]: 1 });
};

/** A survey reply, counted per day and per the variant the customer got. */
const replyDeltas = async (deps: StreamDeps, satisfaction: Satisfaction): Promise<CounterDelta[]> => {
  const exposure = await deps.exposures.get(satisfaction.customerId, satisfaction.campaignId);
  const day = localDate(new Date(satisfaction.receivedAt), deps.settings.defaultTimezone);
  const fields = { replies: 1, ...(satisfaction.score === 'satisfied' ? { satisfied: 1 } : {}) };
  const shard = reportShard(satisfaction.id);
  return deltasFor(satisfaction.campaignId, shard, day, exposure?.variant, fields);
};

/**
 * One stream batch: exposures written and counter deltas worked out record by record (each campaign
 * read once per batch), then every record's deltas ADDed in a few transactions with a marker per
 * record, as the campaign tallies do.
 */
export const recordCampaignEffects = async (deps: StreamDeps, effects: CampaignEffect[]) => {
  if (effects.length === 0) return;
  const campaigns = new Map<string, Promise<Campaign | undefined>>();
  const campaignOf = (id: string) => {
    const campaign = campaigns.get(id) ?? deps.campaigns.get(id);
    campaigns.set(id, campaign);
    return campaign;
  };
  const entries = await Promise.all(
    effects.map(async (effect) => ({
      id: effect.id,
      deltas:
        effect.kind === 'message'
          ? await messageDeltas(deps, campaignOf, effect.message)
          : await replyDeltas(deps, effect.satisfaction),
    })),
  );
  await deps.exposures.countOnce(entries, deps.clock.now());
};

/**
 * A recorded purchase converts each of the customer's exposures whose goal it meets (after the
 * message, within `withinDays`, matching items), once per exposure: one Query for the exposures,
 * and per conversion one transaction that marks the exposure and ADDs the counters. A redelivered
 * event, or a later purchase, finds the exposure converted and counts nothing.
 */
export const recordConversions = async (
  deps: Pick<CrmDependencies, 'exposures' | 'settings'>,
  event: BusEvent,
): Promise<{ converted: number }> => {
  if (event['detail-type'] !== 'purchase.recorded') return { converted: 0 };
  const purchase = event.detail.entity as unknown as Purchase;
  const exposures = await deps.exposures.ofCustomer(purchase.customerId);
  let converted = 0;
  for (const exposure of exposures) {
    if (!exposure.goal || exposure.convertedAt) continue;
    const items = matchingItems({ ...exposure, goal: exposure.goal }, purchase);
    if (items.length === 0) continue;
    const revenue = purchaseTotal(items);
    const day = localDate(new Date(purchase.purchasedAt), deps.settings.defaultTimezone);
    const fields: Record<string, number> = exposure.holdout
      ? { holdoutConversions: 1, holdoutRevenue: revenue }
      : { conversions: 1, revenue };
    const deltas = deltasFor(
      exposure.campaignId,
      reportShard(purchase.id),
      day,
      exposure.holdout ? undefined : exposure.variant,
      fields,
      { conversions: 1 },
    );
    const outcome = await deps.exposures.convert(
      exposure,
      { purchaseId: purchase.id, at: purchase.purchasedAt },
      deltas,
    );
    if (outcome === 'converted') converted++;
  }
  return { converted };
};

/** The campaign's report, read from its counter partitions (one Query per shard), never from messages. */
export const campaignReport = async (
  deps: Pick<CrmDependencies, 'campaigns' | 'counters' | 'settings'>,
  id: string,
  interval: 'day' | 'week',
): Promise<CampaignReport> => {
  const campaign = await getCampaign(deps, id);
  const rows = (
    await Promise.all(
      Array.from({ length: REPORT_SHARDS }, (_, shard) => deps.counters.read(reportPartition(id, shard))),
    )
  ).flat();
  return buildReport(rows, {
    variantNames: (campaign.variants ?? []).map((v) => v.name),
    interval,
    timezone: deps.settings.defaultTimezone,
    goal: campaign.goal,
  });
};
