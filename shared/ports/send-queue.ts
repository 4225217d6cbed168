/** One broadcast recipient, handed from the paging run to the rate-bounded senders. */
export interface BroadcastRecipient {
  campaignId: string;
  occurrence: string;
  customerId: string;
}

/** Where one segment of a broadcast's audience is to be read from: its start, or a continuation. */
export interface BroadcastSegment {
  campaignId: string;
  occurrence: string;
  segment: number;
  cursor?: string | undefined;
}

/** An SQS queue of JSON messages (one per item), sent in batches. */
export interface Queue<T> {
  enqueue(items: T[]): Promise<void>;
}

export type SendQueue = Queue<BroadcastRecipient>;
export type SegmentQueue = Queue<BroadcastSegment>;
