import * as z from 'zod';
import { CalendarDate, Id, ListQuery, UtcTimestamp, Version } from './common.ts';
import { money } from './input-limits.ts';

export const stages = ['qualification', 'demo', 'quote', 'contract', 'won', 'lost'] as const;
export type Stage = (typeof stages)[number];

/** The default win probability (percent) of each stage; an opportunity may override its own. */
export const stageProbability: Record<Stage, number> = {
  qualification: 10,
  demo: 30,
  quote: 50,
  contract: 80,
  won: 100,
  lost: 0,
};

const Probability = z.number().int().min(0).max(100);
const LostReason = z.string().trim().min(1).max(500);

const fields = {
  customerId: Id,
  title: z.string().trim().min(1).max(200),
  amount: money(1e12),
  stage: z.enum(stages).default('qualification'),
  expectedCloseDate: CalendarDate.optional(),
  /** Percent; defaults to the stage's (stageProbability) and follows stage changes unless given. */
  probability: Probability.optional(),
  lostReason: LostReason.optional(),
};

export const OpportunityInput = z.strictObject(fields).meta({ id: 'OpportunityInput' });
export type OpportunityInput = z.infer<typeof OpportunityInput>;

export const OpportunityPatch = z
  .strictObject({
    title: fields.title.optional(),
    amount: fields.amount.optional(),
    stage: z.enum(stages).optional(),
    expectedCloseDate: fields.expectedCloseDate.nullable(),
    probability: Probability.optional(),
    lostReason: LostReason.nullable().optional(),
  })
  .meta({ id: 'OpportunityPatch' });
export type OpportunityPatch = z.infer<typeof OpportunityPatch>;

export const Opportunity = z
  .object({
    ...fields,
    id: Id,
    ownerId: z.string().optional(),
    probability: Probability,
    /** The stage a lost opportunity had reached when it was lost (for the funnel). */
    lostFromStage: z.enum(stages).optional(),
    createdAt: UtcTimestamp,
    updatedAt: UtcTimestamp,
    version: Version,
  })
  .meta({ id: 'Opportunity' });
export type Opportunity = z.infer<typeof Opportunity>;

export const OpportunityListQuery = ListQuery.extend({
  customerId: Id.optional(),
});
