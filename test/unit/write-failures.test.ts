import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { conditionalWrite, failedConditions } from '../../shared/adapters/dynamodb/write-failures.ts';

const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: 'cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

describe('classifying conditional write failures', () => {
  it('reads a single-item condition failure as item 0', () => {
    expect(failedConditions(new ConditionalCheckFailedException({ message: 'no', $metadata: {} }))).toEqual([
      0,
    ]);
  });

  it('names the transaction items whose condition failed', () => {
    expect(
      failedConditions(cancelled('None', 'ConditionalCheckFailed', 'None', 'ConditionalCheckFailed')),
    ).toEqual([1, 3]);
  });

  it('does not take a transaction conflict, throttling or another error for a failed condition', () => {
    expect(failedConditions(cancelled('None', 'TransactionConflict'))).toBeUndefined();
    expect(failedConditions(cancelled('ThrottlingError'))).toBeUndefined();
    expect(failedConditions(new Error('socket hang up'))).toBeUndefined();
  });

  it('returns a failed condition as a result and throws everything else', async () => {
    expect(await conditionalWrite(async () => ({}))).toEqual({ written: true });
    expect(await conditionalWrite(() => Promise.reject(cancelled('ConditionalCheckFailed', 'None')))).toEqual(
      {
        written: false,
        failed: [0],
      },
    );
    await expect(conditionalWrite(() => Promise.reject(cancelled('TransactionConflict')))).rejects.toThrow(
      'cancelled',
    );
  });
});
