import { beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../shared/domain/message.ts';
import type { CrmDependencies } from '../../shared/ports/dependencies.ts';
import {
  abandonedMessage,
  closeAbandonedDelivery,
} from '../../shared/use-cases/close-abandoned-deliveries.ts';
import { fixedClock, freshTable } from '../support/table.ts';

const clock = fixedClock('2026-11-30T02:00:00.000Z');
let deps: CrmDependencies;

beforeAll(async () => {
  ({ deps } = await freshTable(clock));
});

const message = (id: string, fields: Partial<Message> = {}): Message =>
  ({
    id,
    campaignId: 'c-1',
    customerId: `cust-${id}`,
    channel: 'sms',
    to: '+8613900000001',
    body: 'Hello',
    sentAt: clock.now().toISOString(),
    status: 'deferred',
    reason: 'frequency-cap',
    deferredUntil: '2026-12-01T01:00:00.000Z',
    ...fields,
  }) as Message;

const onFailure = (touchpointId: string) => ({
  requestContext: { functionArn: 'arn:aws:lambda:…:deliver-touchpoint', condition: 'RetriesExhausted' },
  requestPayload: { touchpointId, customerId: 'x' },
  responsePayload: { errorMessage: 'Throughput exceeds the current capacity' },
});

describe('closing deliveries the platform gave up on', () => {
  it('names the message of an on-failure record and of a redriven broadcast recipient, and nothing else', () => {
    expect(abandonedMessage(onFailure('tp-1'))).toEqual({
      messageId: 'tp-1',
      reason: 'delivery failed after retries: Throughput exceeds the current capacity',
    });
    expect(
      abandonedMessage({ campaignId: 'c', occurrence: '2026-12-01T02:00:00Z', customerId: 'u' })?.messageId,
    ).toBe('c#2026-12-01T02:00:00Z#u');
    expect(abandonedMessage({ requestPayload: { campaignId: 'c' } } as never)).toBeUndefined();
    expect(abandonedMessage({ campaignId: 'c' })).toBeUndefined();
  });

  it('ends a deferred message failed once, and leaves final, never-decided and leased messages alone', async () => {
    expect(await deps.messages.decide(message('tp-deferred'))).toEqual({ state: 'decided' });
    expect(await closeAbandonedDelivery(deps, onFailure('tp-deferred'))).toBe('closed');
    expect(await closeAbandonedDelivery(deps, onFailure('tp-deferred'))).toBe('final');
    const [closed] = (await deps.messages.list({ customerId: 'cust-tp-deferred' }, { limit: 5 })).items;
    expect(closed).toMatchObject({ status: 'failed', reason: expect.stringMatching(/after retries/) });
    expect(closed?.deferredUntil).toBeUndefined();

    await deps.messages.decide(message('tp-suppressed', { status: 'suppressed', reason: 'opted-out' }));
    expect(await closeAbandonedDelivery(deps, onFailure('tp-suppressed'))).toBe('final');
    const [kept] = (await deps.messages.list({ customerId: 'cust-tp-suppressed' }, { limit: 5 })).items;
    expect(kept).toMatchObject({ status: 'suppressed', reason: 'opted-out' });

    expect(await closeAbandonedDelivery(deps, onFailure('tp-never'))).toBe('absent');

    // A delivery holding a live lease will finish it; the queue tries again after that.
    await deps.messages.decide(message('tp-leased'));
    await deps.messages.claim(message('tp-leased'), clock.now().getTime() + 30_000, clock.now());
    await expect(closeAbandonedDelivery(deps, onFailure('tp-leased'))).rejects.toThrow(/being delivered/);
  });
});
