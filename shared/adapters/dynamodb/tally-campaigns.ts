import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import type { CampaignTallies, Tally } from '../../ports/campaign-repositories.ts';
import type { Clock } from '../../ports/clock.ts';
import type { RepeatPurchaseCounters } from '../../ports/repeat-purchases.ts';
import { type CampaignEffect, recordCampaignEffects } from '../../use-cases/record-conversions.ts';
import { effectOf } from './conversion-mapping.ts';
import { markRepeatGroups } from './repeat-group-marks.ts';
import { tallyOf } from './tally-mapping.ts';

/**
 * The second reader of the table's stream: it turns touchpoint, message and survey changes into
 * campaign counter increments, so a delivery writes only its own items and never a shared one.
 */
export const tallyCampaigns = async (
  deps: { tallies: CampaignTallies; clock: Clock; repeatPurchases: RepeatPurchaseCounters } & Parameters<
    typeof recordCampaignEffects
  >[0],
  records: DynamoDBRecord[],
): Promise<DynamoDBBatchResponse> => {
  const tallies = records.map(tallyOf).filter((t): t is Tally => t !== undefined);
  // All or nothing: a failure retries the batch, and what was counted is skipped.
  await deps.tallies.apply(tallies, deps.clock.now());
  // Exposures and the effectiveness report's counters (issue 13), idempotent per record like the tallies.
  await recordCampaignEffects(
    deps,
    records.map(effectOf).filter((e): e is CampaignEffect => e !== undefined),
  );
  // Customers a lifecycle message reached or held out join the repeat-purchase report's groups.
  await markRepeatGroups(deps.repeatPurchases, records);
  return { batchItemFailures: [] };
};
