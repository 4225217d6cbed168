import * as z from 'zod';
import { CalendarDate, Id, ListQuery, UtcTimestamp, Version } from './common.ts';
import { money } from './input-limits.ts';

export const stages = ['qualification', 'demo', 'quote', 'contract', 'won', 'lost'] as const;

const fields = {
  customerId: Id,
  title: z.string().trim().min(1).max(200),
  amount: money(1e12),
  stage: z.enum(stages).default('qualification'),
  expectedCloseDate: CalendarDate.optional(),
};

export const OpportunityInput = z.strictObject(fields).meta({ id: 'OpportunityInput' });
export type OpportunityInput = z.infer<typeof OpportunityInput>;

export const OpportunityPatch = z
  .strictObject({
    title: fields.title.optional(),
    amount: fields.amount.optional(),
    stage: z.enum(stages).optional(),
    expectedCloseDate: fields.expectedCloseDate.nullable(),
  })
  .meta({ id: 'OpportunityPatch' });
export type OpportunityPatch = z.infer<typeof OpportunityPatch>;

export const Opportunity = z
  .object({
    ...fields,
    id: Id,
    ownerId: z.string().optional(),
    createdAt: UtcTimestamp,
    updatedAt: UtcTimestamp,
    version: Version,
  })
  .meta({ id: 'Opportunity' });
export type Opportunity = z.infer<typeof Opportunity>;

export const OpportunityListQuery = ListQuery.extend({
  customerId: Id.optional(),
});
