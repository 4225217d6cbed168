import { describe, expect, it } from 'vitest';
import { keys, STATS_SHARDS } from '../../shared/adapters/dynamodb/keys.ts';

describe("a campaign's counter shards", () => {
  // DynamoDB spreads load by partition key; shards that share one (and differ only by sort key)
  // all land on the campaign's partition, which the hot-keys bench on the twin found taking 11% of a
  // broadcast's writes.
  it('each have a partition key of their own, apart from the campaign item', () => {
    const id = '01M80FPM80WXP75Z0YK921VE8B';
    const partitions = Array.from({ length: STATS_SHARDS }, (_, n) => keys.campaignStatsShard(id, n).pk);
    expect(new Set(partitions).size).toBe(STATS_SHARDS);
    expect(partitions).not.toContain(keys.campaignStats(id).pk);
  });
});
