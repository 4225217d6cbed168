import type { Customer } from '../domain/customer.ts';
import { toE164 } from '../domain/phone.ts';
import { type ParsedReply, parseReply } from '../domain/reply-parser.ts';
import { type ReplyNotice, replyNotice } from '../domain/sms-text.ts';
import type { InboundOutcome, InboundSms, Satisfaction, Survey } from '../domain/survey.ts';
import type { Task } from '../domain/task.ts';
import { localParts, zonedToUtc } from '../domain/zoned-time.ts';
import { logger, metrics } from '../observability.ts';
import type { CrmDependencies } from '../ports/dependencies.ts';
import type { InboundEffects } from '../ports/survey-repository.ts';
import { stableId } from './stable-id.ts';
import { createTask } from './tasks.ts';

type Deps = Pick<
  CrmDependencies,
  'surveys' | 'customers' | 'tasks' | 'optOuts' | 'once' | 'sms' | 'clock' | 'settings'
>;

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

const ratingNote = (s: Satisfaction) =>
  s.rating === undefined ? '' : ` (${s.rating}/${s.scale === 'nps' ? 10 : 5})`;

/** The follow-up call for an unsatisfied (or, on nps, detractor) answer; its id comes from the survey, so it exists at most once. */
const ensureFollowUp = async (deps: Deps, satisfaction: Satisfaction, known?: Customer) => {
  if (satisfaction.score !== 'unsatisfied') return;
  // The reply's handler has read the customer already; a second read would cost for nothing.
  const customer =
    known?.id === satisfaction.customerId ? known : await deps.customers.get(satisfaction.customerId);
  if (!customer) return;
  const now = deps.clock.now().toISOString();
  const task: Task = {
    id: stableId(satisfaction.receivedAt, `follow-up:${satisfaction.surveyId}`),
    type: 'follow-up-call',
    customerId: customer.id,
    title: `Call ${customer.name} about their ${satisfaction.sku ?? 'purchase'}`,
    reason: satisfaction.comment
      ? `Unsatisfied${ratingNote(satisfaction)}: "${satisfaction.comment}"`
      : `Replied unsatisfied${ratingNote(satisfaction)} to the survey`,
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
    const survey = await deps.surveys.byProviderMessageId(phone, sms.previousPublishedMessageId);
    if (survey) return survey;
  }
  return deps.surveys.latestFor(phone, deps.clock.now());
};

const wantsOut = (parsed: ParsedReply) =>
  parsed.kind === 'opt-out' || (parsed.kind === 'score' && parsed.optOut);

/** The opt-out or opt-in a reply asks for, and the timeline entry that shows it. */
const effectsOf = async (
  deps: Deps,
  parsed: ParsedReply,
  context: { phone: string; customerId: string | undefined; at: string; inboundId: string; source: string },
): Promise<{ effects: InboundEffects; notice?: ReplyNotice }> => {
  const { phone, customerId, at, inboundId, source } = context;
  const note = (type: 'opted-out' | 'opted-in', data: Record<string, unknown>) =>
    customerId
      ? [
          {
            customerId,
            type,
            at,
            id: `${type}:${inboundId}`,
            data: { channel: 'sms', address: phone, source, ...data },
          },
        ]
      : [];
  if (wantsOut(parsed)) {
    const existing = await deps.optOuts.get('sms', phone);
    return {
      effects: {
        ...(existing
          ? {}
          : {
              suppress: {
                channel: 'sms',
                address: phone,
                reason: 'opt-out',
                source,
                createdAt: at,
                ...(customerId ? { customerId } : {}),
              },
            }),
        notes: note('opted-out', { reason: existing?.reason ?? 'opt-out' }),
      },
      notice: 'optedOut',
    };
  }
  if (parsed.kind === 'opt-in') {
    const existing = await deps.optOuts.get('sms', phone);
    // START undoes what the phone's owner asked for, never a bounce or an entry an admin made.
    if (existing && existing.reason !== 'opt-out' && existing.reason !== 'unsubscribe')
      return { effects: {} };
    return {
      effects: {
        ...(existing
          ? { unsuppress: { channel: 'sms', address: phone, reasons: ['opt-out', 'unsubscribe'] } }
          : {}),
        notes: existing ? note('opted-in', { removed: existing.reason }) : [],
      },
      notice: 'optedIn',
    };
  }
  return { effects: {}, ...(parsed.kind === 'help' ? { notice: 'help' as const } : {}) };
};

export interface InboundOptions {
  /** Recorded on an opt-out: which provider's reply it was. */
  source?: string;
}

/**
 * One inbound SMS (End User Messaging via SNS, or Alibaba Cloud's push). Deduplicated on
 * inboundMessageId: the inbound record is written in the same transaction as everything the reply
 * changes (answer, counters, opt-out, opt-in, timeline), so a redelivery is a no-op and a crash
 * can never leave the record written and the opt-out lost.
 */
export const handleInboundSms = async (
  deps: Deps,
  sms: InboundSms,
  options: InboundOptions = {},
): Promise<InboundOutcome> => {
  const phone =
    (await toE164(sms.originationNumber, deps.settings.defaultPhoneCountry)) ?? sms.originationNumber;
  const receivedAt = deps.clock.now().toISOString();
  const survey = await findSurvey(deps, sms, phone);
  const parsed = parseReply(sms.messageBody, survey?.scale ?? 'binary');
  const customerId = survey?.customerId ?? (await deps.customers.findIdByPhone(phone));
  const customer = customerId ? await deps.customers.get(customerId) : undefined;
  const { effects, notice } = await effectsOf(deps, parsed, {
    phone,
    customerId: customer?.id,
    at: receivedAt,
    inboundId: sms.inboundMessageId,
    source: options.source ?? 'sms-reply',
  });
  const record = (outcome: InboundOutcome, surveyId?: string) => ({
    payload: sms,
    outcome,
    receivedAt,
    phone,
    ...(surveyId ? { surveyId } : {}),
  });
  /** Confirmations go once per inbound message, also when a redelivery finds the work done. */
  const finish = async (outcome: InboundOutcome) => {
    if (notice)
      await replyOnce(
        deps,
        `${notice}:${sms.inboundMessageId}`,
        phone,
        replyNotice(notice, customer?.locale),
      );
    if (outcome === 'duplicate') return outcome;
    metrics.addMetric('replied', 'Count', 1);
    logger.info('inbound sms', { inboundMessageId: sms.inboundMessageId, outcome });
    return outcome;
  };
  const keep = async (outcome: InboundOutcome, surveyId?: string) =>
    finish((await deps.surveys.keep(record(outcome, surveyId), effects)) ? outcome : 'duplicate');

  if (parsed.kind === 'opt-out') return keep('opted-out', survey?.id);
  if (parsed.kind === 'opt-in') return keep('opted-in', survey?.id);
  if (parsed.kind === 'help') return keep('help', survey?.id);
  if (!survey) return keep('unmatched');

  if (parsed.kind === 'unclear') {
    const outcome = await keep('unclear', survey.id);
    // One clarification per survey, however many unclear replies come.
    if (outcome !== 'duplicate' && survey.status === 'open')
      await replyOnce(
        deps,
        `clarify:${survey.id}`,
        phone,
        replyNotice('clarify', customer?.locale, survey.scale ?? 'binary'),
      );
    return outcome;
  }

  if (survey.status !== 'open' || Date.parse(survey.expiresAt) <= Date.parse(receivedAt)) {
    const outcome = await keep(survey.status === 'answered' ? 'already-answered' : 'late', survey.id);
    // A redelivery after a crash between the answer and its follow-up task finishes the job
    // (the task's id is stable, so an existing one is not made again).
    if (outcome === 'duplicate' && survey.status === 'answered') {
      const stored = await deps.surveys.satisfactionOf(survey.id);
      if (stored) await ensureFollowUp(deps, stored, customer);
    }
    return outcome;
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
    ...(parsed.rating !== undefined ? { rating: parsed.rating } : {}),
    scale: survey.scale ?? 'binary',
    ...(parsed.comment ? { comment: parsed.comment } : {}),
    rawReply: sms.messageBody,
    receivedAt,
  };
  const outcome = await deps.surveys.answer(satisfaction, survey, record('scored', survey.id), effects);
  // On a redelivery the stored answer decides: if a crash came between the answer and the task,
  // this finishes the job.
  const stored = outcome === 'scored' ? satisfaction : await deps.surveys.satisfactionOf(survey.id);
  if (stored) await ensureFollowUp(deps, stored, customer);
  return finish(outcome);
};
