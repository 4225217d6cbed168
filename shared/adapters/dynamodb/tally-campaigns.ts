import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import type { CampaignTallies, Tally } from '../../ports/campaign-repositories.ts';
import type { Clock } from '../../ports/clock.ts';
import type { RepeatPurchaseCounters } from '../../ports/repeat-purchases.ts';
import { markRepeatGroups } from './repeat-group-marks.ts';
import { tallyOf } from './tally-mapping.ts';

/**
 * The second reader of the table's stream: it turns touchpoint, message and survey changes into
 * campaign counter increments, so a delivery writes only its own items and never a shared one.
 */
export const tallyCampaigns = async (
  deps: { tallies: CampaignTallies; clock: Clock; repeatPurchases: RepeatPurchaseCounters },
  records: DynamoDBRecord[],
): Promise<DynamoDBBatchResponse> => {
  const tallies = records.map(tallyOf).filter((t): t is Tally => t !== undefined);
  // All or nothing: a failure retries the batch, and what was counted is skipped.
  await deps.tallies.apply(tallies, deps.clock.now());
  // Customers a lifecycle message reached or held out join the repeat-purchase report's groups.
  await markRepeatGroups(deps.repeatPurchases, records);
  return { batchItemFailures: [] };
};
