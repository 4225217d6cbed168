/**
 * Every key the CRM writes, in one place.
 *
 * | entity      | pk                  | sk                | gsi1 (by owner)          | gsi2 (by type)          | gsi3 (timeline)              |
 * |-------------|---------------------|-------------------|--------------------------|-------------------------|------------------------------|
 * | customer    | CUSTOMER#id         | PROFILE           | OWNER#ownerId / id       | TYPE#customer / id      |                              |
 * | phone index | PHONE#e164          | PHONE             |                          |                         |                              |
 * | product     | PRODUCT#sku         | PRODUCT           |                          | TYPE#product / sku      |                              |
 * | purchase    | CUSTOMER#customerId | PURCHASE#id       |                          |                         | TIMELINE#customerId / at#id  |
 * | idempotency | IDEMPOTENCY#scope   | IDEMPOTENCY       |                          |                         |                              |
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
  idempotency: (scope: string) => ({ pk: `IDEMPOTENCY#${scope}`, sk: 'IDEMPOTENCY' }),
} as const;

/** Written on every item so the stream consumer can tell entities from index and bookkeeping items. */
export type EntityType = 'customer' | 'product' | 'purchase';
