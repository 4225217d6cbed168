import { describe, expect, inject, it } from 'vitest';
import { broadcastOnTheTwin } from '../../bench/exactly-once.ts';
import { keys } from '../../shared/adapters/dynamodb/keys.ts';

// 125 customers a segment: two pages each, so every segment continues once (20,000 run in the bench).
const AUDIENCE = 2_000;

describe('a broadcast on the local twin, with its functions timing out and handing on', () => {
  it(`sends every one of ${AUDIENCE.toLocaleString('en')} customers exactly one SMS`, async () => {
    // page-broadcast gets 8 s instead of 60 s: with its 8 s budget it must hand on a continuation
    // after every page, so each segment's pages run as a chain of separate invocations.
    const count = await broadcastOnTheTwin(inject('dynamoEndpoint'), AUDIENCE, { 'page-broadcast': 8 });

    const segments = keys.customerTypeShards().length;
    expect(count.continuations).toBeGreaterThanOrEqual(AUDIENCE / 100 - segments);
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
