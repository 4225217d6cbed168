import * as z from 'zod';
import { Id, ListQuery, Locale, TimeZone, UtcTimestamp, Version } from './common.ts';
import { StorableNumber } from './input-limits.ts';

const Tag = z.string().min(1).max(64);
const Interest = z.string().min(1).max(64);
const AttributeValue = z.union([z.string().max(1000), StorableNumber, z.boolean(), z.null()]);

export const Consent = z.strictObject({
  email: z.boolean().default(false),
  sms: z.boolean().default(false),
});

export const HouseholdMember = z.strictObject({
  relation: z.string().min(1).max(64),
  interests: z.array(Interest).max(50).default([]),
});

const customerFields = {
  name: z.string().trim().min(1).max(200),
  email: z.email().max(254).optional(),
  /** Any unambiguous spelling; stored as E.164. */
  phone: z.string().min(3).max(32).optional(),
  timezone: TimeZone.optional(),
  locale: Locale.optional(),
  region: z.string().max(100).optional(),
  industry: z.string().max(100).optional(),
  interests: z.array(Interest).max(50).default([]),
  household: z.array(HouseholdMember).max(20).default([]),
  consent: Consent.default({ email: false, sms: false }),
  tags: z.array(Tag).max(50).default([]),
  ownerId: z.string().min(1).max(128).optional(),
  attributes: z.record(z.string().max(64), AttributeValue).default({}),
  /** A customer tier such as A/B/C or gold/silver, usually set by automation rules. */
  tier: z.string().min(1).max(32).optional(),
  /** The store's own member-card number; unique, so imports find the customer again. */
  externalId: z.string().trim().min(1).max(64).optional(),
};

export const CustomerInput = z.strictObject(customerFields).meta({ id: 'CustomerInput' });
export type CustomerInput = z.infer<typeof CustomerInput>;

/** A partial update: absent fields stay as they are; null clears an optional field. */
export const CustomerPatch = z
  .strictObject({
    name: customerFields.name.optional(),
    email: customerFields.email.nullable(),
    phone: customerFields.phone.nullable(),
    timezone: TimeZone.optional(),
    locale: customerFields.locale.nullable(),
    region: customerFields.region.nullable(),
    industry: customerFields.industry.nullable(),
    interests: z.array(Interest).max(50).optional(),
    household: z.array(HouseholdMember).max(20).optional(),
    consent: z.strictObject({ email: z.boolean().optional(), sms: z.boolean().optional() }).optional(),
    tags: z.array(Tag).max(50).optional(),
    ownerId: customerFields.ownerId.nullable(),
    attributes: z.record(z.string().max(64), AttributeValue).optional(),
    tier: customerFields.tier.nullable(),
    externalId: customerFields.externalId.nullable(),
  })
  .meta({ id: 'CustomerPatch' });
export type CustomerPatch = z.infer<typeof CustomerPatch>;

export const Customer = z
  .object({
    ...customerFields,
    id: Id,
    timezone: TimeZone,
    consent: z.object({ email: z.boolean(), sms: z.boolean() }),
    /** Sum of the customer's purchase totals, kept up to date as purchases are recorded. */
    totalSales: z.number().optional(),
    createdAt: UtcTimestamp,
    updatedAt: UtcTimestamp,
    version: Version,
  })
  .meta({ id: 'Customer' });
export type Customer = z.infer<typeof Customer>;

export const CustomerListQuery = ListQuery.extend({
  ownerId: z.string().min(1).max(128).optional(),
  tag: z.string().min(1).max(64).optional(),
});
export type CustomerListQuery = z.infer<typeof CustomerListQuery>;

export const CustomerParams = z.strictObject({ id: Id });
