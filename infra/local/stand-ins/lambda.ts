import type { Context } from 'aws-lambda';
import { logger } from '../../../shared/observability.ts';
import type { Clock } from '../../../shared/ports/clock.ts';
import {
  ASYNC_RETRY_DELAYS_MS,
  FUNCTION_TIMEOUT_SECONDS,
  type TimedFunction,
} from '../../../shared/runtime/function-timeouts.ts';
import { lambdaContext } from '../lambda-event.ts';

/** What AWS would have put on a dead-letter queue or an on-failure destination. */
export interface DeadLetter {
  source: 'stream' | 'eventbridge' | 'scheduler' | 'sns' | 'sqs';
  target: string;
  reason: string;
  payload: unknown;
  at: string;
}

export type LambdaFunction<Event = unknown> = (event: Event, context: Context) => Promise<unknown>;

interface Retry {
  due: Date;
  source: DeadLetter['source'];
  target: TimedFunction;
  fn: LambdaFunction;
  payload: unknown;
  attempt: number;
}

/**
 * The Lambda service on one machine. `invoke` runs a handler under the timeout its CDK construct
 * declares (the same constant; a test may shorten one to force many hand-overs), with a context whose remaining time counts down. `invokeAsync` is
 * an asynchronous invocation as Scheduler, EventBridge and SNS make it: a function error is retried
 * twice on the virtual clock, one and then two more minutes later, and then lands in the dead
 * letters, as it would on the function's on-failure destination.
 */
export const localLambda = (clock: Clock, timeoutsSeconds: Partial<Record<TimedFunction, number>> = {}) => {
  const deadLetters: DeadLetter[] = [];
  const deadLetterListeners: ((letter: DeadLetter) => void)[] = [];
  /** Keeps what failed for good, and hands it to whatever AWS would hand it to (an on-failure queue, a redrive). */
  const deadLetter = (letter: DeadLetter) => {
    deadLetters.push(letter);
    for (const listener of deadLetterListeners) listener(letter);
  };
  const retries: Retry[] = [];
  const running = new Set<Promise<unknown>>();

  const invoke = async <Event>(target: TimedFunction, fn: LambdaFunction<Event>, event: Event) => {
    const seconds = timeoutsSeconds[target] ?? FUNCTION_TIMEOUT_SECONDS[target];
    const timeoutMs = seconds * 1000;
    const deadline = Date.now() + timeoutMs;
    const context: Context = {
      ...lambdaContext(`crm-${target}`),
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    };
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`Task timed out after ${seconds.toFixed(2)} seconds`)),
        timeoutMs,
      );
    });
    try {
      return await Promise.race([fn(event, context), timedOut]);
    } finally {
      clearTimeout(timer);
    }
  };

  const attempt = (retry: Omit<Retry, 'due'>): Promise<unknown> => {
    const run = invoke(retry.target, retry.fn, retry.payload).then(
      (result) => result,
      (error: unknown) => {
        const reason = (error as Error).message;
        const delay = ASYNC_RETRY_DELAYS_MS[retry.attempt - 1];
        if (delay === undefined) {
          logger.error('async invocation kept failing; sent to the on-failure destination', {
            target: retry.target,
            reason,
          });
          deadLetter({
            source: retry.source,
            target: retry.target,
            reason,
            payload: retry.payload,
            at: clock.now().toISOString(),
          });
        } else {
          retries.push({
            ...retry,
            attempt: retry.attempt + 1,
            due: new Date(clock.now().getTime() + delay),
          });
        }
        return undefined;
      },
    );
    const tracked = run.finally(() => running.delete(tracked));
    running.add(tracked);
    return tracked;
  };

  return {
    invoke,
    /**
     * Hands the event over, as Lambda's Event invocation type does: the caller need not wait. The
     * promise (never rejected) carries the first attempt's result, for local routes that show it.
     */
    invokeAsync<Event>(
      source: DeadLetter['source'],
      target: TimedFunction,
      fn: LambdaFunction<Event>,
      event: Event,
    ): Promise<unknown> {
      return attempt({ source, target, fn: fn as LambdaFunction, payload: event, attempt: 1 });
    },
    deadLetters,
    deadLetter,
    /** Called with each dead letter as it lands. */
    onDeadLetter(listener: (letter: DeadLetter) => void) {
      deadLetterListeners.push(listener);
    },
    /** The earliest retry due at or before `until`. */
    nextDue(until: Date): { at: Date; run: () => void } | undefined {
      const due = retries
        .filter((r) => r.due.getTime() <= until.getTime())
        .sort((a, b) => a.due.getTime() - b.due.getTime())[0];
      if (!due) return undefined;
      return {
        at: due.due,
        run: () => {
          retries.splice(retries.indexOf(due), 1);
          attempt(due);
        },
      };
    },
    /** Resolves once every invocation started so far (and any they started) has finished. */
    async drain() {
      while (running.size > 0) await Promise.all([...running]);
    },
    pendingRetries: () => retries.length,
  };
};
export type LocalLambda = ReturnType<typeof localLambda>;
