import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { type GroupMarks, markOfMessage } from '../../domain/repeat-purchases.ts';
import type { RepeatPurchaseCounters } from '../../ports/repeat-purchases.ts';

const image = (value: unknown) =>
  value ? (unmarshall(value as Record<string, AttributeValue>) as Record<string, unknown>) : undefined;

export interface GroupMark {
  customerId: string;
  mark: keyof GroupMarks;
  at: string;
}

/**
 * The repeat-purchase group a stream record puts a customer in: a lifecycle message that just
 * reached `sent` reminds them, one that reached `holdout` holds them out, from the message's time.
 * A later write that keeps the status (erasure, say) marks nothing.
 */
export const groupMarkOf = (record: DynamoDBRecord): GroupMark | undefined => {
  const next = image(record.dynamodb?.NewImage);
  const previous = image(record.dynamodb?.OldImage);
  if (next?.entityType !== 'message' || next.status === previous?.status) return undefined;
  const mark = markOfMessage(next);
  const customerId = next.customerId;
  const at = next.sentAt;
  if (!mark || typeof customerId !== 'string' || typeof at !== 'string') return undefined;
  return { customerId, mark, at };
};

/** Applied by the campaign counters' stream reader, which already receives every message change. */
export const markRepeatGroups = async (counters: RepeatPurchaseCounters, records: DynamoDBRecord[]) => {
  const marks = records.map(groupMarkOf).filter((mark): mark is GroupMark => mark !== undefined);
  // Idempotent (the earliest time wins), so a retried batch marks again harmlessly.
  await Promise.all(marks.map(({ customerId, mark, at }) => counters.mark(customerId, mark, at)));
};
