type Reason = { Code?: string; Item?: Record<string, unknown> };

/**
 * The one place that tells a failed condition from every other write error. A single conditional
 * write fails with ConditionalCheckFailedException; a transaction fails with
 * TransactionCanceledException and one reason per item, in item order.
 */
export const failedConditions = (error: unknown): number[] | undefined => {
  if (!(error instanceof Error)) return undefined;
  if (error.name === 'ConditionalCheckFailedException') return [0];
  if (error.name !== 'TransactionCanceledException') return undefined;
  const reasons = (error as { CancellationReasons?: Reason[] }).CancellationReasons ?? [];
  const failed = reasons.flatMap((reason, i) => (reason?.Code === 'ConditionalCheckFailed' ? [i] : []));
  // Cancelled only by a conflict with another transaction, throttling or validation: not a condition.
  return failed.length > 0 ? failed : undefined;
};

/** True for a failed condition on a single-item write (or on any item of a transaction). */
export const isConditionFailure = (error: unknown): boolean => failedConditions(error) !== undefined;

export type WriteResult =
  | { written: true }
  /** `failed`: the indexes of the items whose condition failed; `item`: the stored item, when asked for. */
  | { written: false; failed: number[]; item?: Record<string, unknown> };

/**
 * Runs a conditional write or a transaction (`() => client.send(...)`). A failed condition is a result, not an error;
 * everything else (throttling, transaction conflicts, validation) is thrown for the caller's retry.
 */
export const conditionalWrite = async (write: () => Promise<unknown>): Promise<WriteResult> => {
  try {
    await write();
    return { written: true };
  } catch (error) {
    const failed = failedConditions(error);
    if (!failed) throw error;
    const item = (error as { Item?: Record<string, unknown> }).Item;
    return { written: false, failed, ...(item ? { item } : {}) };
  }
};

/** Another transaction touched the same item at the same moment: a lost race, over in milliseconds, to retry. */
export const isTransactionConflict = (error: unknown): boolean =>
  error instanceof Error &&
  (error.name === 'TransactionConflictException' ||
    (error.name === 'TransactionCanceledException' &&
      ((error as { CancellationReasons?: Reason[] }).CancellationReasons ?? []).some(
        (reason) => reason?.Code === 'TransactionConflict',
      )));
