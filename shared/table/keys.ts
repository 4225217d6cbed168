/**
 * Every key the CRM writes, in one place.
 *
 * | entity        | pk                  | sk                    | gsi1                          | gsi2 (by type)      | gsi3 (timeline)              |
 * |---------------|---------------------|-----------------------|-------------------------------|---------------------|------------------------------|
 * | customer      | CUSTOMER#id         | PROFILE               | OWNER#ownerId / id            | TYPE#customer / id  |                              |
 * | phone index   | PHONE#e164          | PHONE                 |                               |                     |                              |
 * | product       | PRODUCT#sku         | PRODUCT               |                               | TYPE#product / sku  |                              |
 * | purchase      | CUSTOMER#customerId | PURCHASE#id           |                               |                     | TIMELINE#customerId / at#id  |
 * | opportunity   | OPPORTUNITY#id      | OPPORTUNITY           | OF#customerId / OPPORTUNITY#id| TYPE#opportunity/id |                              |
 * | order         | ORDER#id            | ORDER                 | OF#customerId / ORDER#id      | TYPE#order / id     |                              |
 * | task          | TASK#id             | TASK                  | TASKS#assignee|queue / status#dueAt#id | TYPE#task / id | TIMELINE#customerId / at#id |
 * | rule          | RULE#id             | RULE                  |                               | TYPE#rule / id      |                              |
 * | rule run      | RULE#id             | RUN#at#eventId        |                               |                     |                              |
 * | campaign      | CAMPAIGN#id         | CAMPAIGN              |                               | TYPE#campaign / id  |                              |
 * | campaign stats| CAMPAIGN#id         | STATS                 |                               |                     |                              |
 * | touchpoint    | CUSTOMER#customerId | TOUCHPOINT#id         |                               |                     |                              |
 * | message       | MESSAGE#key         | MESSAGE               | CAMPAIGN#campaignId / at#id   |                     | TIMELINE#customerId / at#id  |
 * | suppression   | OPTOUT#channel#addr | OPTOUT                |                               | SUPPRESSIONS / channel#at#addr |                   |
 * | frequency cap | CAP#customerId#day  | CAP                   |                               |                     |                              |
 * | survey        | SURVEY#id           | SURVEY                | PHONE_SURVEYS#phone / at#id   |                     |                              |
 * | survey lookup | SURVEY_MSG#msgId    | SURVEY_MSG            |                               |                     |                              |
 * | satisfaction  | SURVEY#surveyId     | SATISFACTION          | SAT_CAMPAIGN#id / at#id       | SAT_SKU#sku / at#id | TIMELINE#customerId / at#id  |
 * | summary       | SUMMARY#sku|campaign| key                   |                               |                     |                              |
 * | inbound SMS   | INBOUND#inboundId   | INBOUND               | INBOUND_OF#phone / at#id      |                     |                              |
 * | sent once     | ONCE#scope          | ONCE                  |                               |                     |                              |
 * | idempotency   | IDEMPOTENCY#scope   | IDEMPOTENCY           |                               |                     |                              |
 */
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
