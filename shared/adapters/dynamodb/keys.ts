/**
 * Every key the CRM writes, in one place.
 *
 * | entity        | pk                  | sk                    | gsi1                          | gsi2 (by type)      | gsi3 (timeline)              |
 * |---------------|---------------------|-----------------------|-------------------------------|---------------------|------------------------------|
 * | customer      | CUSTOMER#id         | PROFILE               | OWNER#ownerId / id            | TYPE#customer#s / id|                              |
 * | customer tag  | CUSTOMER#id         | TAG#tag               |                               | TAG#tag#s / id      |                              |
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
 * | campaign      | CAMPAIGN#id         | CAMPAIGN              | ACTIVE_LIFECYCLE / id (sparse)| TYPE#campaign / id  |                              |
 * | campaign stats| CAMPAIGN#id         | STATS#n (stream), STATS (old) |                               |                     |                              |
 * | exposure      | CUSTOMER#customerId | EXPOSURE#campaignId   |                               |                     |                              |
 * | touchpoint    | CUSTOMER#customerId | TOUCHPOINT#id         | CAMPAIGN_TP#campaignId#shard / id |                 |                              |
 * | message       | MESSAGE#key         | MESSAGE               | CAMPAIGN#campaignId#s / at#id |                     | TIMELINE#customerId / at#id  |
 * | suppression   | OPTOUT#channel#addr | OPTOUT                |                               | SUPPRESSIONS / channel#at#addr |                   |
 * | frequency cap | CAP#customerId#day  | CAP                   |                               |                     |                              |
 * | survey        | SURVEY#id           | SURVEY                | PHONE_SURVEYS#phone / at#id   |                     |                              |
 * | survey lookup | SURVEY_MSG#msgId    | SURVEY_MSG  (no longer written; erasure still deletes old ones) |     |                              |
 * | satisfaction  | SURVEY#surveyId     | SATISFACTION          | SAT_CAMPAIGN#id / at#id       | SAT_SKU#sku / at#id | TIMELINE#customerId / at#id  |
 * | summary       | SUMMARY#sku|campaign#shard | key            |                               |                     |                              |
 * | inbound SMS   | INBOUND#inboundId   | INBOUND               | INBOUND_OF#phone / at#id      |                     |                              |
 * | sent once     | ONCE#scope          | ONCE                  |                               |                     |                              |
 * | idempotency   | IDEMPOTENCY#scope   | IDEMPOTENCY           |                               |                     |                              |
 * | lead          | LEAD#id             | LEAD                  | LEADS#owner:x|pool:x|queue:x / createdAt#id | TYPE#lead / id | STALE#grade / improvedAt#id (open, owned) |
 * | activity      | LEAD#leadId         | ACTIVITY#at#id        |                               |                     | TIMELINE#customerId / at#id  |
 * | lead link     | CUSTOMER#customerId | LEAD#leadId           |                               |                     |                              |
 * | sales settings| SETTINGS#sales      | SETTINGS              |                               |                     |                              |
 * | report counter| REPORT#name#bucket  | key                   |                               |                     |                              |
 * | counted event | COUNTED#eventId     | COUNTED               |                               |                     |                              |
 * | repeat state  | REPEAT#customerId   | STATE, BOUGHT#month#group, AGAIN#month#group |        |                     |                              |
 * | tallied record| TALLIED#eventId     | TALLIED               |                               |                     |                              |
 *
 * `#s` is a shard: `shardOf(customerId, SHARDS)`, zero-padded. A partition that every customer write
 * (or every message of a campaign) would land on is split in SHARDS, so no one key takes more than
 * about 1/SHARDS of that traffic; lists fan out over the shards and merge by sort key
 * (shared/adapters/dynamodb/sharded-query.ts).
 */

/** Shards of the customer type index, the tag index and messages-by-campaign. */
export const SHARDS = 16;

/** A stable shard for a value (FNV-1a, 32 bit): the same id always lands on the same shard. */
export const shardOf = (value: string, shards: number = SHARDS): number => {
  let hash = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    hash ^= value.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % shards;
};

const shard = (n: number) => String(n).padStart(2, '0');
const allShards = (partition: (n: number) => string) =>
  Array.from({ length: SHARDS }, (_, n) => partition(n));
export const TOUCHPOINT_SHARDS = 8;
export const STATS_SHARDS = 8;
/** Satisfaction summary rows are counted by the stream on this many partitions per grouping. */
export const SUMMARY_SHARDS = 8;
/** Purchases by date are spread over this many partitions, so an import never writes one hot key. */
export const PURCHASE_DATE_SHARDS = 8;

export const keys = {
  customer: (id: string) => ({ pk: `CUSTOMER#${id}`, sk: 'PROFILE' }),
  customerByOwner: (ownerId: string, id: string) => ({ gsi1pk: `OWNER#${ownerId}`, gsi1sk: id }),
  ownerPartition: (ownerId: string) => `OWNER#${ownerId}`,
  byType: (type: EntityType, sortValue: string) => ({ gsi2pk: `TYPE#${type}`, gsi2sk: sortValue }),
  typePartition: (type: EntityType) => `TYPE#${type}`,
  /** The customer type index, sharded by id: every customer write (a purchase's running total too) lands here. */
  customerByType: (id: string) => ({
    gsi2pk: `TYPE#customer#${shard(shardOf(id))}`,
    gsi2sk: id,
  }),
  customerTypeShard: (n: number) => `TYPE#customer#${shard(n)}`,
  customerTypeShards: () => allShards((n) => `TYPE#customer#${shard(n)}`),
  /** One item per tag a customer carries, so a tag filter reads only the tagged customers. */
  customerTag: (customerId: string, tag: string) => ({
    pk: `CUSTOMER#${customerId}`,
    sk: `TAG#${tag}`,
    gsi2pk: `TAG#${tag}#${shard(shardOf(customerId))}`,
    gsi2sk: customerId,
  }),
  tagShards: (tag: string) => allShards((n) => `TAG#${tag}#${shard(n)}`),
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
  entity: (type: 'opportunity' | 'order' | 'task' | 'rule' | 'campaign' | 'lead', id: string) => ({
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
  /**
   * One of STATS_SHARDS counter items the stream tallies write, each under a partition key of its
   * own (DynamoDB spreads load by partition key, not by sort key); stats read them with the one above.
   */
  campaignStatsShard: (id: string, shard: number) => ({ pk: `CAMPAIGN#${id}#STATS#${shard}`, sk: 'STATS' }),
  /** Marks a stream record as counted, so a redelivered batch counts nothing twice. */
  tallied: (recordId: string) => ({ pk: `TALLIED#${recordId}`, sk: 'TALLIED' }),
  touchpoint: (customerId: string, id: string) => ({ pk: `CUSTOMER#${customerId}`, sk: `TOUCHPOINT#${id}` }),
  touchpointPrefix: 'TOUCHPOINT#',
  /** A customer's first sent or held-out message of a campaign, which a purchase may convert (issue 13). */
  exposure: (customerId: string, campaignId: string) => ({
    pk: `CUSTOMER#${customerId}`,
    sk: `EXPOSURE#${campaignId}`,
  }),
  exposurePrefix: 'EXPOSURE#',
  /** A campaign's touchpoints, spread over TOUCHPOINT_SHARDS partitions so planning never writes one hot key. */
  touchpointOfCampaign: (campaignId: string, id: string) => ({
    gsi1pk: `CAMPAIGN_TP#${campaignId}#${shardOf(id, TOUCHPOINT_SHARDS)}`,
    gsi1sk: id,
  }),
  touchpointOfCampaignPartition: (campaignId: string, shard: number) => `CAMPAIGN_TP#${campaignId}#${shard}`,
  message: (key: string) => ({ pk: `MESSAGE#${key}`, sk: 'MESSAGE' }),
  /** Sharded by customer: a campaign's messages arrive in time order, which would pile onto one partition. */
  messagesOfCampaign: (campaignId: string, customerId: string, sentAt: string, id: string) => ({
    gsi1pk: `CAMPAIGN#${campaignId}#${shard(shardOf(customerId))}`,
    gsi1sk: `${sentAt}#${id}`,
  }),
  campaignMessageShards: (campaignId: string) => allShards((n) => `CAMPAIGN#${campaignId}#${shard(n)}`),
  /** Sparse: only active lifecycle campaigns carry it, so planning reads those and nothing else. */
  activeLifecycle: (id: string) => ({ gsi1pk: 'ACTIVE_LIFECYCLE', gsi1sk: id }),
  activeLifecyclePartition: 'ACTIVE_LIFECYCLE',
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
  /** Written by older versions only; a survey now carries its provider message id itself. */
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
  /** The unsharded row that replies and surveys once counted in their own transactions; still read. */
  summary: (groupBy: 'sku' | 'campaign', key: string) => ({ pk: `SUMMARY#${groupBy}`, sk: key }),
  summaryPartition: (groupBy: 'sku' | 'campaign') => `SUMMARY#${groupBy}`,
  /** One of SUMMARY_SHARDS counter partitions the stream tallies write; the summary sums them all. */
  summaryShard: (groupBy: 'sku' | 'campaign', shard: number, key: string) => ({
    pk: `SUMMARY#${groupBy}#${shard}`,
    sk: key,
  }),
  summaryShardPartitions: (groupBy: 'sku' | 'campaign') =>
    Array.from({ length: SUMMARY_SHARDS }, (_, n) => `SUMMARY#${groupBy}#${n}`),
  inbound: (inboundMessageId: string) => ({ pk: `INBOUND#${inboundMessageId}`, sk: 'INBOUND' }),
  /** Inbound replies by phone, so erasing a customer finds the texts they sent. */
  inboundOfPhone: (phone: string, at: string, id: string) => ({
    gsi1pk: `INBOUND_OF#${phone}`,
    gsi1sk: `${at}#${id}`,
  }),
  inboundOfPhonePartition: (phone: string) => `INBOUND_OF#${phone}`,
  /** The suppression list, newest first within a channel; the item itself is keys.optOut. */
  suppressionListed: (channel: string, at: string, address: string) => ({
    gsi2pk: 'SUPPRESSIONS',
    gsi2sk: `${channel}#${at}#${address.toLowerCase()}`,
  }),
  suppressionsPartition: 'SUPPRESSIONS',
  idempotency: (scope: string) => ({ pk: `IDEMPOTENCY#${scope}`, sk: 'IDEMPOTENCY' }),
  leadsOfHolder: (holder: string, createdAt: string, id: string) => ({
    gsi1pk: `LEADS#${holder}`,
    gsi1sk: `${createdAt}#${id}`,
  }),
  leadsOfHolderPartition: (holder: string) => `LEADS#${holder}`,
  staleWatch: (grade: string, improvedAt: string, id: string) => ({
    gsi3pk: `STALE#${grade}`,
    gsi3sk: `${improvedAt}#${id}`,
  }),
  staleWatchPartition: (grade: string) => `STALE#${grade}`,
  activity: (leadId: string, at: string, id: string) => ({
    pk: `LEAD#${leadId}`,
    sk: `ACTIVITY#${at}#${id}`,
  }),
  activityPrefix: 'ACTIVITY#',
  leadPartition: (leadId: string) => `LEAD#${leadId}`,
  /** Written with a new lead, so the customer's leads can follow its owner and be erased with it. */
  leadOfCustomer: (customerId: string, leadId: string) => ({
    pk: `CUSTOMER#${customerId}`,
    sk: `LEAD#${leadId}`,
  }),
  leadOfCustomerPrefix: 'LEAD#',
  salesSettings: { pk: 'SETTINGS#sales', sk: 'SETTINGS' },
  reportCounter: (partition: string, key: string) => ({ pk: `REPORT#${partition}`, sk: key }),
  reportPartition: (partition: string) => `REPORT#${partition}`,
  countedEvent: (eventId: string) => ({ pk: `COUNTED#${eventId}`, sk: 'COUNTED' }),
  /** A customer's repeat-purchase state (group marks, first purchase) and its once-per-month markers. */
  repeatState: (customerId: string) => ({ pk: `REPEAT#${customerId}`, sk: 'STATE' }),
  repeatMarker: (customerId: string, kind: 'BOUGHT' | 'AGAIN', month: string, group: string) => ({
    pk: `REPEAT#${customerId}`,
    sk: `${kind}#${month}#${group}`,
  }),
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
  | 'message'
  | 'lead'
  | 'activity';

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
