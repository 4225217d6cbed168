/** One broadcast recipient, handed from the paging run to the rate-bounded senders. */
export interface BroadcastRecipient {
  campaignId: string;
  occurrence: string;
  customerId: string;
}

export interface SendQueue {
  enqueue(recipients: BroadcastRecipient[]): Promise<void>;
}
