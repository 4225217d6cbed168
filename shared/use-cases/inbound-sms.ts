import { toE164 } from '../domain/phone.ts';
import { parseReply } from '../domain/reply-parser.ts';
import type { InboundOutcome, InboundSms, Satisfaction, Survey } from '../domain/survey.ts';
import type { Task } from '../domain/task.ts';
import { localParts, zonedToUtc } from '../domain/zoned-time.ts';
import { logger, metrics } from '../observability.ts';
import type { CrmDependencies } from '../ports/dependencies.ts';
import { stableId } from './stable-id.ts';
import { createTask } from './tasks.ts';

type Deps = Pick<
  CrmDependencies,
  'surveys' | 'customers' | 'tasks' | 'optOuts' | 'once' | 'sms' | 'clock' | 'settings'
>;

export const REPLIES = {
  optedOut: 'You will get no more messages from us. Reply START to opt back in.',
  optedIn: 'You are subscribed again. Reply STOP to opt out.',
  help: 'Reply 1 if you are satisfied, 2 if not, and add a comment if you like. Reply STOP to opt out.',
  clarify: 'Sorry, we could not read that. Please reply 1 if you are satisfied or 2 if you are not.',
};

/** Due by the same time on the next business day (Mon–Fri) in the customer's zone. */
export const nextBusinessDay = (from: Date, timezone: string): Date => {
  const local = localParts(from, timezone);
  const day = new Date(Date.UTC(local.year, local.month - 1, local.day));
  do day.setUTCDate(day.getUTCDate() + 1);
  while (day.getUTCDay() === 0 || day.getUTCDay() === 6);
  return zonedToUtc(
    {
      year: day.getUTCFullYear(),
      month: day.getUTCMonth() + 1,
      day: day.getUTCDate(),
      hour: local.hour,
      minute: local.minute,
    },
    timezone,
  );
};

/** The follow-up call for an unsatisfied answer; its id comes from the survey, so it exists at most once. */
const ensureFollowUp = async (deps: Deps, satisfaction: Satisfaction) => {
  if (satisfaction.score !== 'unsatisfied') return;
  const customer = await deps.customers.get(satisfaction.customerId);
  if (!customer) return;
  const now = deps.clock.now().toISOString();
  const task: Task = {
    id: stableId(satisfaction.receivedAt, `follow-up:${satisfaction.surveyId}`),
    type: 'follow-up-call',
    customerId: customer.id,
    title: `Call ${customer.name} about their ${satisfaction.sku ?? 'purchase'}`,
    reason: satisfaction.comment
      ? `Unsatisfied: "${satisfaction.comment}"`
      : 'Replied unsatisfied to the survey',
    ...(customer.ownerId ? { assigneeId: customer.ownerId } : { queue: 'service' }),
    dueAt: nextBusinessDay(new Date(satisfaction.receivedAt), customer.timezone).toISOString(),
    status: 'open',
    satisfactionId: satisfaction.id,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  await createTask(deps, task);
};

/** At most one reply of each kind per scope, however often the inbound message is delivered. */
const replyOnce = async (deps: Deps, scope: string, to: string, body: string) => {
  if (await deps.once.claim(scope, deps.clock.now()))
    await deps.sms.send({ to, body, kind: 'transactional' });
};

const findSurvey = async (deps: Deps, sms: InboundSms, phone: string): Promise<Survey | undefined> => {
  if (sms.previousPublishedMessageId) {
    const survey = await deps.surveys.byProviderMessageId(sms.previousPublishedMessageId);
    if (survey) return survey;
  }
  return deps.surveys.latestFor(phone, deps.clock.now());
};

/**
 * One inbound SMS from End User Messaging (via SNS). Deduplicated on inboundMessageId: the inbound
 * record is written in the same transaction as whatever it changes, so a redelivery is a no-op.
 */
export const handleInboundSms = async (deps: Deps, sms: InboundSms): Promise<InboundOutcome> => {
  const phone =
    (await toE164(sms.originationNumber, deps.settings.defaultPhoneCountry)) ?? sms.originationNumber;
  const receivedAt = deps.clock.now().toISOString();
  const parsed = parseReply(sms.messageBody);
  const record = (outcome: InboundOutcome, surveyId?: string) => ({
    payload: sms,
    outcome,
    receivedAt,
    ...(surveyId ? { surveyId } : {}),
  });
  const done = (outcome: InboundOutcome) => {
    metrics.addMetric('replied', 'Count', 1);
    logger.info('inbound sms', { inboundMessageId: sms.inboundMessageId, outcome });
    return outcome;
  };

  if (parsed.kind === 'opt-out' || parsed.kind === 'opt-in' || parsed.kind === 'help') {
    const outcome = parsed.kind === 'opt-out' ? 'opted-out' : parsed.kind === 'opt-in' ? 'opted-in' : 'help';
    if (!(await deps.surveys.keep(record(outcome)))) return 'duplicate';
    if (parsed.kind === 'opt-out') await deps.optOuts.optOut('sms', phone, 'STOP reply', deps.clock.now());
    if (parsed.kind === 'opt-in') await deps.optOuts.optIn('sms', phone);
    const text =
      parsed.kind === 'opt-out'
        ? REPLIES.optedOut
        : parsed.kind === 'opt-in'
          ? REPLIES.optedIn
          : REPLIES.help;
    await replyOnce(deps, `${parsed.kind}:${sms.inboundMessageId}`, phone, text);
    return done(outcome);
  }

  const survey = await findSurvey(deps, sms, phone);
  if (!survey) return (await deps.surveys.keep(record('unmatched'))) ? done('unmatched') : 'duplicate';

  if (parsed.kind === 'unclear') {
    if (!(await deps.surveys.keep(record('unclear', survey.id)))) return 'duplicate';
    // One clarification per survey, however many unclear replies come.
    if (survey.status === 'open') await replyOnce(deps, `clarify:${survey.id}`, phone, REPLIES.clarify);
    return done('unclear');
  }

  if (survey.status !== 'open' || Date.parse(survey.expiresAt) <= Date.parse(receivedAt)) {
    const outcome = survey.status === 'answered' ? 'already-answered' : 'late';
    return (await deps.surveys.keep(record(outcome, survey.id))) ? done(outcome) : 'duplicate';
  }

  const satisfaction: Satisfaction = {
    id: stableId(receivedAt, `satisfaction:${survey.id}`),
    surveyId: survey.id,
    customerId: survey.customerId,
    campaignId: survey.campaignId,
    ...(survey.purchaseId ? { purchaseId: survey.purchaseId } : {}),
    ...(survey.sku ? { sku: survey.sku } : {}),
    ...(survey.skus ? { skus: survey.skus } : {}),
    score: parsed.score,
    ...(parsed.comment ? { comment: parsed.comment } : {}),
    rawReply: sms.messageBody,
    receivedAt,
  };
  const outcome = await deps.surveys.answer(satisfaction, survey, record('scored', survey.id));
  // On a redelivery the stored answer decides: if a crash came between the answer and the task,
  // this finishes the job.
  const stored = outcome === 'scored' ? satisfaction : await deps.surveys.satisfactionOf(survey.id);
  if (stored) await ensureFollowUp(deps, stored);
  return outcome === 'duplicate' ? outcome : done(outcome);
};
