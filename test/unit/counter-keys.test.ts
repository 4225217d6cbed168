import { describe, expect, it } from 'vitest';
import { keys, STATS_SHARDS } from '../../shared/adapters/dynamodb/keys.ts';
import { REPORT_SHARDS, reportPartition } from '../../shared/domain/campaign-report.ts';

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

describe("a campaign's effectiveness report counters", () => {
  // The hot-keys bench at 10,000 recipients found all report shards under one partition key,
  // REPORT#effect#<campaign>, taking 19.8% of a broadcast's writes (target ≤ 5%).
  it('spread their shards over partitions of their own', () => {
    const id = '01M80FPM80WXP75Z0YK921VE8B';
    const partitions = Array.from({ length: REPORT_SHARDS }, (_, n) => reportPartition(id, n));
    expect(new Set(partitions).size).toBe(REPORT_SHARDS);
  });
});
