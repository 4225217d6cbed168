import type { CounterDelta } from '../ports/event-counters.ts';
import type { Activity, Lead } from './lead.ts';
import type { Opportunity } from './opportunity.ts';
import type { Task } from './task.ts';
import { localDate } from './zoned-time.ts';

/**
 * Which report counters an entity contributes to, as a pure function of its state: an event's
 * deltas are what its new image contributes minus what its old image did. Deltas commute, so the
 * order events arrive in does not matter, and each event is applied once (see EventCounters).
 *
 * Partitions (one item per row, so no item takes every write):
 * - `sales#YYYY-MM` / `YYYY-MM-DD#ownerId`: one salesperson's day;
 * - `grades` / `ownerId`: their open leads by grade, now;
 * - `funnel#YYYY-MM` / `YYYY-MM-DD#stage`: opportunities created that day, by stage;
 * - `sources#YYYY-MM` / `YYYY-MM-DD#source#grade`: leads recorded that day, by source and first grade.
 */
type Contribution = Omit<CounterDelta, 'n'> & { n: number };

export const FUNNEL_STAGES = ['qualification', 'demo', 'quote', 'contract', 'won'] as const;
export const contactFields = { call: 'call', visit: 'visit', 'test-drive': 'testDrive' } as const;

const month = (day: string) => day.slice(0, 7);
const salesRow = (day: string, ownerId: string) => ({
  partition: `sales#${month(day)}`,
  key: `${day}#${ownerId}`,
});

const leadContributions = (lead: Lead, timezone: string): Contribution[] => {
  const out: Contribution[] = [];
  const created = localDate(new Date(lead.createdAt), timezone);
  if (lead.recordedFor) out.push({ ...salesRow(created, lead.recordedFor), field: 'newLeads', n: 1 });
  if (lead.status === 'open' && lead.ownerId)
    out.push({ partition: 'grades', key: lead.ownerId, field: `grade:${lead.grade}`, n: 1 });
  if (lead.status !== 'open' && lead.ownerId && lead.closedAt)
    out.push({
      ...salesRow(localDate(new Date(lead.closedAt), timezone), lead.ownerId),
      field: lead.status,
      n: 1,
    });
  const source = {
    partition: `sources#${month(created)}`,
    key: `${created}#${lead.source}#${lead.initialGrade}`,
  };
  out.push({ ...source, field: 'leads', n: 1 });
  if (lead.status !== 'open') out.push({ ...source, field: lead.status, n: 1 });
  return out;
};

const activityContributions = (activity: Activity, timezone: string): Contribution[] => {
  const field = contactFields[activity.type as keyof typeof contactFields];
  if (!field || !activity.ownerId) return [];
  return [{ ...salesRow(localDate(new Date(activity.at), timezone), activity.ownerId), field, n: 1 }];
};

const taskContributions = (task: Task, timezone: string): Contribution[] => {
  if (task.type !== 'callback' || !task.assigneeId) return [];
  const due = localDate(new Date(task.dueAt), timezone);
  const out: Contribution[] = [];
  if (task.status !== 'cancelled')
    out.push({ ...salesRow(due, task.assigneeId), field: 'callbacksDue', n: 1 });
  const done =
    task.status === 'done' && task.closedAt ? localDate(new Date(task.closedAt), timezone) : undefined;
  if (done) out.push({ ...salesRow(done, task.assigneeId), field: 'callbacksDone', n: 1 });
  // Still open when its day ended (the daily sweep marks it), or done on a later day: overdue,
  // counted on the day it fell due, whatever happens to it afterwards.
  if (task.overdueAt || (done && done > due))
    out.push({ ...salesRow(due, task.assigneeId), field: 'callbacksOverdue', n: 1 });
  return out;
};

/** How far down the funnel an opportunity got: won reached every stage; lost, the stage it was lost at. */
export const reachedStages = (
  opportunity: Pick<Opportunity, 'stage' | 'lostFromStage'>,
): readonly string[] => {
  const stage =
    opportunity.stage === 'lost' ? (opportunity.lostFromStage ?? 'qualification') : opportunity.stage;
  const index = FUNNEL_STAGES.indexOf(stage as (typeof FUNNEL_STAGES)[number]);
  return FUNNEL_STAGES.slice(0, index + 1);
};

const opportunityContributions = (opportunity: Opportunity, timezone: string): Contribution[] => {
  const created = localDate(new Date(opportunity.createdAt), timezone);
  const row = (stage: string) => ({ partition: `funnel#${month(created)}`, key: `${created}#${stage}` });
  return [
    { ...row(opportunity.stage), field: 'count', n: 1 },
    { ...row(opportunity.stage), field: 'amount', n: opportunity.amount ?? 0 },
    ...reachedStages(opportunity).map((stage) => ({ ...row(stage), field: 'reached', n: 1 })),
  ];
};

const contributions: Record<string, (entity: never, timezone: string) => Contribution[]> = {
  lead: leadContributions,
  activity: activityContributions,
  task: taskContributions,
  opportunity: opportunityContributions,
};

/** Grade moves are changes, not states: counted once, on the day of the move, for the lead's owner. */
const gradeMoves = (previous: Lead | undefined, next: Lead | undefined, timezone: string): Contribution[] => {
  if (!previous || !next || previous.gradeSince === next.gradeSince || !next.lastGradeChange || !next.ownerId)
    return [];
  const day = localDate(new Date(next.gradeSince), timezone);
  return [
    {
      ...salesRow(day, next.ownerId),
      field: next.lastGradeChange === 'up' ? 'upgrades' : 'downgrades',
      n: 1,
    },
  ];
};

/**
 * The counter deltas of one domain event (`lead.won`, `task.updated`, …): `entity` is the item
 * after the change (before it, for a deletion) and `previous` the item before an update.
 */
export const salesCounterDeltas = (
  eventType: string,
  detail: { entity: Record<string, unknown>; previous?: Record<string, unknown> },
  timezone: string,
): CounterDelta[] => {
  const [entityType = '', verb] = eventType.split('.');
  const contribute = contributions[entityType];
  if (!contribute) return [];
  const deleted = verb === 'deleted';
  const before = deleted ? detail.entity : detail.previous;
  const after = deleted ? undefined : detail.entity;
  const deltas: CounterDelta[] = [
    ...(after ? contribute(after as never, timezone) : []),
    ...(before ? contribute(before as never, timezone).map((c) => ({ ...c, n: -c.n })) : []),
  ];
  if (entityType === 'lead')
    deltas.push(...gradeMoves(before as Lead | undefined, after as Lead | undefined, timezone));
  return deltas;
};
