import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { Message } from '../../domain/message.ts';
import type { Satisfaction } from '../../domain/survey.ts';
import type { CampaignEffect } from '../../use-cases/record-conversions.ts';
import { STORAGE_ATTRIBUTES } from './keys.ts';

const image = (value: unknown) => {
  if (!value) return undefined;
  const item = unmarshall(value as Record<string, AttributeValue>) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(item).filter(([key]) => !STORAGE_ATTRIBUTES.has(key)));
};

/**
 * What a table change means for campaign effectiveness (issue 13): a message that reaches `sent` or
 * `holdout` exposes its customer (counted once, however many writes it took); a satisfaction record
 * written is a reply. Rides on the campaign counters' stream reader, whose filter lets both through.
 */
export const effectOf = (record: DynamoDBRecord): CampaignEffect | undefined => {
  const raw = record.dynamodb?.NewImage as Record<string, AttributeValue> | undefined;
  const entityType = raw?.entityType?.S;
  if (!record.eventID || !raw) return undefined;
  if (entityType === 'message') {
    const next = image(raw) as unknown as Message;
    const previous = image(record.dynamodb?.OldImage) as Partial<Message> | undefined;
    const final = next.status === 'sent' || next.status === 'holdout';
    if (final && next.status !== previous?.status && next.customerId && next.sentAt)
      return { id: record.eventID, kind: 'message', message: next };
  }
  if (entityType === 'satisfaction' && record.eventName === 'INSERT') {
    const satisfaction = image(raw) as unknown as Satisfaction;
    if (satisfaction.customerId && satisfaction.campaignId && satisfaction.receivedAt)
      return { id: record.eventID, kind: 'reply', satisfaction };
  }
  return undefined;
};
