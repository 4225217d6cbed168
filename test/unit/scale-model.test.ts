import { describe, expect, it } from 'vitest';
import {
  ASSUMPTIONS,
  costPerMessage,
  type MeasuredFigures,
  PRICES,
  scaleModel,
} from '../../bench/scale-model.ts';

const figures: MeasuredFigures = {
  operations: [{ op: 'deliver a touchpoint (the survey SMS)', rcu: 3, wcu: 17 }],
  deliverTouchpoint: { rcu: 3, wcu: 17 },
  recordPurchase: { rcu: 2, wcu: 8 },
  inboundReply: { rcu: 1, wcu: 18 },
  broadcastRecipient: { rcu: 1.6, wcu: 12, indexWrites: 4 },
  deliveryIndexWrites: 4,
  pagingItemsPerSecond: 5_000,
  busiestShare: { purchases: 0.04, broadcast: 0.125 },
};

describe('the scale model (bench/SCALE.md)', () => {
  it('recomputes live schedules, quotas and send times from its inputs', () => {
    const markdown = scaleModel(figures);
    // 1M members × 2 purchases a year / 365 × (7 + 166) live days.
    expect(markdown).toContain('| 1,000,000 | 947,945 | 9.5% fine |');
    // 10M: 9.5M live schedules against the 10M default.
    expect(markdown).toMatch(/\| 10,000,000 \| 9,479,452 \| 94\.8% \*\*near the quota\*\* \|/);
    expect(markdown).toContain('| SMS from one short code number (100 parts/s) | 100.0 | 2.8 h |');
    expect(markdown).toContain('| SMS from one 10DLC number (1 parts/s) | 1.0 | 11.6 days |');
    expect(markdown).toContain('| email at an SES rate of 14/s | 14 | 19.8 h |');
  });

  it('prices a message from the measured capacity, so a cheaper delivery shows up in the model', () => {
    const before = costPerMessage(figures, 'touchpoint', 'email');
    const after = costPerMessage(
      { ...figures, deliverTouchpoint: { rcu: 3, wcu: 6 } },
      'touchpoint',
      'email',
    );
    expect(before.dynamo - after.dynamo).toBeCloseTo((11 * PRICES.dynamoPerMillionWrites) / 1e6, 12);
    expect(before.send).toBeCloseTo(PRICES.sesPerThousandEmails / 1000, 12);
    expect(costPerMessage(figures, 'broadcast', 'sms').scheduler).toBe(0);
    expect(costPerMessage(figures, 'touchpoint', 'sms').send).toBeCloseTo(
      PRICES.smsPerPartUs * ASSUMPTIONS.smsPartsPerMessage,
      12,
    );
  });
});
