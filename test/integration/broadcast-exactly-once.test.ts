import { describe, expect, inject, it } from 'vitest';
import { broadcastOnTheTwin } from '../../bench/exactly-once.ts';
import { keys } from '../../shared/adapters/dynamodb/keys.ts';

// 50 customers a segment in pages of 20: three pages each, so every segment continues twice
// (20,000 customers in pages of 100 run in the bench).
const AUDIENCE = 800;
const PAGE_SIZE = 20;

describe('a broadcast on the local twin, with its functions timing out and handing on', () => {
  it(`sends every one of ${AUDIENCE.toLocaleString('en')} customers exactly one SMS`, async () => {
    // page-broadcast gets 8 s instead of 60 s: with its 8 s budget it must hand on a continuation
    // after every page, so each segment's pages run as a chain of separate invocations.
    const count = await broadcastOnTheTwin(
      inject('dynamoEndpoint'),
      AUDIENCE,
      { 'page-broadcast': 8 },
      PAGE_SIZE,
    );

    const segments = keys.customerTypeShards().length;
    expect(count.continuations).toBeGreaterThanOrEqual(AUDIENCE / PAGE_SIZE - segments);
    // Counted in the outbox, per customer phone.
    expect(count.outboxed).toBe(AUDIENCE);
    expect(count.sentOnce).toBe(AUDIENCE);
    expect(count.missing).toBe(0);
    expect(count.doubled).toBe(0);
    expect(count.strangers).toBe(0);
    // Counted in the message ledger, per customer: one sent message each, nothing else.
    expect(count.ledger).toEqual({ sent: AUDIENCE });
    expect(count.ledgerMismatches).toBe(0);
    expect(count.deadLetters).toBe(0);
  }, 600_000);
});
