import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { localEventBus } from '../../infra/local/stand-ins/event-bus.ts';
import { localLambda } from '../../infra/local/stand-ins/lambda.ts';
import { localQueue } from '../../infra/local/stand-ins/queue.ts';
import { localScheduler } from '../../infra/local/stand-ins/scheduler.ts';
import { virtualClock } from '../../infra/local/stand-ins/virtual-clock.ts';
import type { DomainEvent } from '../../shared/events/domain-event.ts';
import { eventRoutes } from '../../shared/events/routes.ts';
import { FUNCTION_TIMEOUT_SECONDS } from '../../shared/runtime/function-timeouts.ts';
import { QUEUES } from '../../shared/runtime/queues.ts';

afterEach(() => vi.useRealTimers());

const MINUTE = 60_000;

describe('the local Lambda service fails the way AWS does', () => {
  it('times a function out at the timeout its CDK construct declares', async () => {
    vi.useFakeTimers();
    const lambda = localLambda(virtualClock());
    let remainingAtStart = 0;
    const run = lambda.invoke(
      'ses-feedback',
      async (_event, context) => {
        remainingAtStart = context.getRemainingTimeInMillis();
        await new Promise(() => undefined);
      },
      {},
    );
    const outcome = run.then(
      () => 'finished',
      (error: Error) => error.message,
    );
    await vi.advanceTimersByTimeAsync(FUNCTION_TIMEOUT_SECONDS['ses-feedback'] * 1000);
    expect(await outcome).toBe('Task timed out after 10.00 seconds');
    expect(remainingAtStart).toBe(10_000);
  });

  it('retries an async invocation one and then two more minutes later on the virtual clock, then dead-letters it', async () => {
    const clock = virtualClock();
    const lambda = localLambda(clock);
    const attempts: number[] = [];
    const start = clock.now().getTime();
    lambda.invokeAsync(
      'eventbridge',
      'run-automation',
      async () => {
        attempts.push(clock.now().getTime() - start);
        throw new Error('boom');
      },
      { id: 'e1' },
    );
    await lambda.drain();
    expect(attempts).toHaveLength(1);
    expect(lambda.nextDue(new Date(start + 59_000))).toBeUndefined();
    for (const expected of [1, 3]) {
      const due = lambda.nextDue(new Date(start + 10 * MINUTE));
      expect(Math.round(((due?.at.getTime() ?? 0) - start) / MINUTE)).toBe(expected);
      clock.set(due?.at as Date);
      due?.run();
      await lambda.drain();
    }
    expect(attempts).toHaveLength(3);
    expect(lambda.nextDue(new Date(start + 60 * MINUTE))).toBeUndefined();
    expect(lambda.deadLetters).toEqual([
      expect.objectContaining({
        source: 'eventbridge',
        target: 'run-automation',
        reason: 'boom',
        payload: { id: 'e1' },
      }),
    ]);
  });
});

describe('the local Scheduler fires inside the flexible window', () => {
  const schedule = (name: string) => ({
    name,
    at: '2026-12-01T10:00:00',
    timezone: 'Asia/Shanghai',
    target: 'deliver-touchpoint' as const,
    payload: { touchpointId: name, customerId: 'c' },
  });

  it('somewhere in the 15 minutes after the time, the same place for the same seed', async () => {
    const nominal = Date.parse('2026-12-01T02:00:00Z');
    const firings = async (seed: string) => {
      const scheduler = localScheduler(virtualClock(), () => () => undefined, seed);
      const at: number[] = [];
      for (let i = 0; i < 20; i++) await scheduler.scheduler.createOnce(schedule(`tp-${i}`));
      for (
        let due = scheduler.nextDue(new Date(nominal + 20 * MINUTE));
        due;
        due = scheduler.nextDue(new Date(nominal + 20 * MINUTE))
      ) {
        at.push(due.at.getTime() - nominal);
        due.run();
      }
      return at;
    };
    const first = await firings('one');
    expect(first).toHaveLength(20);
    for (const offset of first) {
      expect(offset).toBeGreaterThanOrEqual(0);
      expect(offset).toBeLessThan(15 * MINUTE);
    }
    expect(new Set(first.map((o) => Math.floor(o / MINUTE))).size).toBeGreaterThan(3);
    expect(await firings('one')).toEqual(first);
    expect(await firings('two')).not.toEqual(first);
  });

  it('fires a deferral (no flexible window) on the minute, and hands the payload over with the scheduled time', async () => {
    const delivered: unknown[] = [];
    const scheduler = localScheduler(virtualClock(), () => (_target, payload) => delivered.push(payload));
    await scheduler.scheduler.createOnce({ ...schedule('df-1'), flexibleMinutes: 0 });
    const due = scheduler.nextDue(new Date('2026-12-02T00:00:00Z'));
    expect(due?.at.toISOString()).toBe('2026-12-01T02:00:00.000Z');
    due?.run();
    expect(delivered).toEqual([{ touchpointId: 'df-1', customerId: 'c' }]);
  });
});

describe('size limits hold', () => {
  const event = (bytes: number): DomainEvent => ({
    type: 'customer.updated',
    time: '2026-11-23T00:00:00.000Z',
    detail: { eventId: 'e', entity: { id: 'c', note: 'x'.repeat(bytes) }, changed: ['note'] },
  });

  it('PutEvents refuses a request over 256 KB, as EventBridge does; the adapter batches under it', async () => {
    const lambda = localLambda(virtualClock());
    const bus = localEventBus(eventRoutes, () => ({}) as never, lambda);
    const entry = (bytes: number) => ({
      Source: 'crm',
      DetailType: 'customer.updated',
      Time: new Date(),
      Detail: JSON.stringify(event(bytes).detail),
    });
    // Ten 30 KB entries fit the count limit but not the size limit.
    await expect(
      bus.client.send(new PutEventsCommand({ Entries: Array.from({ length: 10 }, () => entry(30_000)) })),
    ).rejects.toThrow(/over the limit/);
    // The real adapter splits the same events into requests that fit.
    expect(await bus.publisher.publish(Array.from({ length: 10 }, () => event(30_000)))).toEqual([]);
  });

  it('SQS refuses a batch over 256 KiB', async () => {
    const clock = virtualClock();
    const queue = localQueue(clock, localLambda(clock), QUEUES['broadcast-sends'], () => async () => ({
      batchItemFailures: [],
    }));
    const big = { campaignId: 'c', occurrence: 'o', customerId: 'x'.repeat(30_000) };
    await expect(queue.queue.enqueue(Array.from({ length: 10 }, () => big))).rejects.toThrow(/over/);
  });
});
