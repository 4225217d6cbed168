import { createHash } from 'node:crypto';
/**
 * Every key the CRM writes, in one place.
 *
 * | entity        | pk                  | sk                    | gsi1                          | gsi2 (by type)      | gsi3 (timeline)              |
 * |---------------|---------------------|-----------------------|-------------------------------|---------------------|------------------------------|
 * | customer      | CUSTOMER#id         | PROFILE               | OWNER#ownerId / id            | TYPE#customer / id  |                              |
 * | phone index   | PHONE#e164          | PHONE                 |                               |                     |                              |
 * | member index  | EXTERNAL#externalId | EXTERNAL              |                               |                     |                              |
 * | product       | PRODUCT#sku         | PRODUCT               |                               | TYPE#product / sku  |                              |
 * | purchase      | CUSTOMER#customerId | PURCHASE#id           |                               | PURCHASED#shard / at#customerId#id | TIMELINE#customerId / at#id |
 * | import job    | IMPORT#id           | IMPORT                |                               |                     |                              |
 * | opportunity   | OPPORTUNITY#id      | OPPORTUNITY           | OF#customerId / OPPORTUNITY#id| TYPE#opportunity/id |                              |
 * | order         | ORDER#id            | ORDER                 | OF#customerId / ORDER#id      | TYPE#order / id     |                              |
 * | task          | TASK#id             | TASK                  | TASKS#assignee|queue / status#dueAt#id | TYPE#task / id | TIMELINE#customerId / at#id |
 * | rule          | RULE#id             | RULE                  |                               | TYPE#rule / id      |                              |
 * | rule run      | RULE#id             | RUN#at#eventId        |                               |                     |                              |
 * | campaign      | CAMPAIGN#id         | CAMPAIGN              |                               | TYPE#campaign / id  |                              |
 * | campaign stats| CAMPAIGN#id         | STATS                 |                               |                     |                              |
 * | touchpoint    | CUSTOMER#customerId | TOUCHPOINT#id         | CAMPAIGN_TP#campaignId#shard / id |                 |                              |
 * | message       | MESSAGE#key         | MESSAGE               | CAMPAIGN#campaignId / at#id   |                     | TIMELINE#customerId / at#id  |
 * | opt-out       | OPTOUT#channel#addr | OPTOUT                |                               |                     |                              |
 * | frequency cap | CAP#customerId#day  | CAP                   |                               |                     |                              |
 * | survey        | SURVEY#id           | SURVEY                | PHONE_SURVEYS#phone / at#id   |                     |                              |
 * | survey lookup | SURVEY_MSG#msgId    | SURVEY_MSG            |                               |                     |                              |
 * | satisfaction  | SURVEY#surveyId     | SATISFACTION          | SAT_CAMPAIGN#id / at#id       | SAT_SKU#sku / at#id | TIMELINE#customerId / at#id  |
 * | summary       | SUMMARY#sku|campaign| key                   |                               |                     |                              |
 * | inbound SMS   | INBOUND#inboundId   | INBOUND               |                               |                     |                              |
 * | sent once     | ONCE#scope          | ONCE                  |                               |                     |                              |
 * | idempotency   | IDEMPOTENCY#scope   | IDEMPOTENCY           |                               |                     |                              |
 */
/** A stable shard number for an id: the first bytes of its SHA-256, modulo the shard count. */
export const shardOf = (id: string, shards: number) =>
  createHash('sha256').update(id).digest().readUInt32BE(0) % shards;
export const TOUCHPOINT_SHARDS = 8;
/** Purchases by date are spread over this many partitions, so an import never writes one hot key. */
export const PURCHASE_DATE_SHARDS = 8;

export const keys = {
  customer: (id: string) => ({ pk: `CUSTOMER#${id}`, sk: 'PROFILE' }),
  customerByOwner: (ownerId: string, id: string) => ({ gsi1pk: `OWNER#${ownerId}`, gsi1sk: id }),
  ownerPartition: (ownerId: string) => `OWNER#${ownerId}`,
  byType: (type: EntityType, sortValue: string) => ({ gsi2pk: `TYPE#${type}`, gsi2sk: sortValue }),
  typePartition: (type: EntityType) => `TYPE#${type}`,
  phone: (e164: string) => ({ pk: `PHONE#${e164}`, sk: 'PHONE' }),
  product: (sku: string) => ({ pk: `PRODUCT#${sku}`, sk: 'PRODUCT' }),
  purchase: (customerId: string, id: string) => ({ pk: `CUSTOMER#${customerId}`, sk: `PURCHASE#${id}` }),
  purchasePrefix: 'PURCHASE#',
  /** Purchases by date (a backfill reads those since a day without scanning), sharded by purchase id. */
  purchaseByDate: (purchasedAt: string, customerId: string, id: string) => ({
    gsi2pk: `PURCHASED#${shardOf(id, PURCHASE_DATE_SHARDS)}`,
    gsi2sk: `${purchasedAt}#${customerId}#${id}`,
  }),
  purchaseByDatePartition: (shard: number) => `PURCHASED#${shard}`,
  /** A member-card number, unique like a phone number: written in the same transaction as its customer. */
  externalId: (externalId: string) => ({ pk: `EXTERNAL#${externalId}`, sk: 'EXTERNAL' }),
  importJob: (id: string) => ({ pk: `IMPORT#${id}`, sk: 'IMPORT' }),
  customerPartition: (customerId: string) => `CUSTOMER#${customerId}`,
  timeline: (customerId: string, at: string, id: string) => ({
    gsi3pk: `TIMELINE#${customerId}`,
    gsi3sk: `${at}#${id}`,
  }),
  timelinePartition: (customerId: string) => `TIMELINE#${customerId}`,
  entity: (type: 'opportunity' | 'order' | 'task' | 'rule' | 'campaign', id: string) => ({
    pk: `${type.toUpperCase()}#${id}`,
    sk: type.toUpperCase(),
  }),
  ofCustomer: (customerId: string, type: 'opportunity' | 'order', id: string) => ({
    gsi1pk: `OF#${customerId}`,
    gsi1sk: `${type.toUpperCase()}#${id}`,
  }),
  ofCustomerPartition: (customerId: string) => `OF#${customerId}`,
  taskQueue: (assignee: string, status: string, dueAt: string, id: string) => ({
    gsi1pk: `TASKS#${assignee}`,
    gsi1sk: `${status}#${dueAt}#${id}`,
  }),
  taskQueuePartition: (assignee: string) => `TASKS#${assignee}`,
  ruleRun: (ruleId: string, at: string, eventId: string) => ({
    pk: `RULE#${ruleId}`,
    sk: `RUN#${at}#${eventId}`,
  }),
  ruleRunPrefix: 'RUN#',
  rulePartition: (ruleId: string) => `RULE#${ruleId}`,
  once: (scope: string) => ({ pk: `ONCE#${scope}`, sk: 'ONCE' }),
  campaignStats: (id: string) => ({ pk: `CAMPAIGN#${id}`, sk: 'STATS' }),
  touchpoint: (customerId: string, id: string) => ({ pk: `CUSTOMER#${customerId}`, sk: `TOUCHPOINT#${id}` }),
  touchpointPrefix: 'TOUCHPOINT#',
  /** A campaign's touchpoints, spread over TOUCHPOINT_SHARDS partitions so planning never writes one hot key. */
  touchpointOfCampaign: (campaignId: string, id: string) => ({
    gsi1pk: `CAMPAIGN_TP#${campaignId}#${shardOf(id, TOUCHPOINT_SHARDS)}`,
    gsi1sk: id,
  }),
  touchpointOfCampaignPartition: (campaignId: string, shard: number) => `CAMPAIGN_TP#${campaignId}#${shard}`,
  message: (key: string) => ({ pk: `MESSAGE#${key}`, sk: 'MESSAGE' }),
  messagesOfCampaign: (campaignId: string, sentAt: string, id: string) => ({
    gsi1pk: `CAMPAIGN#${campaignId}`,
    gsi1sk: `${sentAt}#${id}`,
  }),
  campaignPartition: (campaignId: string) => `CAMPAIGN#${campaignId}`,
  optOut: (channel: string, address: string) => ({
    pk: `OPTOUT#${channel}#${address.toLowerCase()}`,
    sk: 'OPTOUT',
  }),
  frequencyCap: (customerId: string, day: string) => ({ pk: `CAP#${customerId}#${day}`, sk: 'CAP' }),
  survey: (id: string) => ({ pk: `SURVEY#${id}`, sk: 'SURVEY' }),
  surveysOfPhone: (phone: string, sentAt: string, id: string) => ({
    gsi1pk: `PHONE_SURVEYS#${phone}`,
    gsi1sk: `${sentAt}#${id}`,
  }),
  surveysOfPhonePartition: (phone: string) => `PHONE_SURVEYS#${phone}`,
  surveyByMessage: (providerMessageId: string) => ({
    pk: `SURVEY_MSG#${providerMessageId}`,
    sk: 'SURVEY_MSG',
  }),
  satisfaction: (surveyId: string) => ({ pk: `SURVEY#${surveyId}`, sk: 'SATISFACTION' }),
  satisfactionOfCampaign: (campaignId: string, at: string, id: string) => ({
    gsi1pk: `SAT_CAMPAIGN#${campaignId}`,
    gsi1sk: `${at}#${id}`,
  }),
  satisfactionOfCampaignPartition: (campaignId: string) => `SAT_CAMPAIGN#${campaignId}`,
  satisfactionOfSku: (sku: string, at: string, id: string) => ({
    gsi2pk: `SAT_SKU#${sku}`,
    gsi2sk: `${at}#${id}`,
  }),
  satisfactionOfSkuPartition: (sku: string) => `SAT_SKU#${sku}`,
  summary: (groupBy: 'sku' | 'campaign', key: string) => ({ pk: `SUMMARY#${groupBy}`, sk: key }),
  summaryPartition: (groupBy: 'sku' | 'campaign') => `SUMMARY#${groupBy}`,
  inbound: (inboundMessageId: string) => ({ pk: `INBOUND#${inboundMessageId}`, sk: 'INBOUND' }),
  idempotency: (scope: string) => ({ pk: `IDEMPOTENCY#${scope}`, sk: 'IDEMPOTENCY' }),
} as const;

/** Written on every item so the stream consumer can tell entities from index and bookkeeping items. */
export type EntityType =
  | 'customer'
  | 'product'
  | 'purchase'
  | 'opportunity'
  | 'order'
  | 'task'
  | 'rule'
  | 'campaign'
  | 'message';

/** Set on an item written by an automation rule, so the change's event carries its cause. */
export const CAUSE_ATTRIBUTE = '_cause';

/** Attributes that exist for storage only (keys, index keys, TTL, cause) and never belong to an entity. */
export const STORAGE_ATTRIBUTES: ReadonlySet<string> = new Set([
  'pk',
  'sk',
  'gsi1pk',
  'gsi1sk',
  'gsi2pk',
  'gsi2sk',
  'gsi3pk',
  'gsi3sk',
  'entityType',
  'ttl',
  CAUSE_ATTRIBUTE,
]);
