import { createHash } from 'node:crypto';
import { isHeldOut, messageFor } from '../domain/assignment.ts';
import type { Campaign } from '../domain/campaign.ts';
import {
  composeMessage,
  needsUnsubscribeLink,
  RenderError,
  readsPurchaseContext,
} from '../domain/compose-message.ts';
import type { Customer } from '../domain/customer.ts';
import type { DeferralReason, Message, MessageStatus, SuppressionReason } from '../domain/message.ts';
import type { Product } from '../domain/product.ts';
import type { Purchase } from '../domain/purchase.ts';
import { inWindow, narrowByQuietHours, nextDayInWindow, nextInWindow } from '../domain/send-time.ts';
import { SURVEY_DAYS, type Survey, surveyScaleOf } from '../domain/survey.ts';
import { renderedProblems } from '../domain/templates.ts';
import { localDate, localMinute } from '../domain/zoned-time.ts';
import { logger, metrics } from '../observability.ts';
import type { LedgerConflict } from '../ports/campaign-repositories.ts';
import type { CrmDependencies } from '../ports/dependencies.ts';
import type { ScheduleTarget } from '../ports/scheduler.ts';
import { FUNCTION_TIMEOUT_SECONDS, SEND_TIME_BUDGET_MS } from '../runtime/function-timeouts.ts';

export type DeliveryDeps = Pick<
  CrmDependencies,
  | 'campaigns'
  | 'customers'
  | 'messages'
  | 'optOuts'
  | 'frequencyCap'
  | 'mailer'
  | 'sms'
  | 'signer'
  | 'clock'
  | 'settings'
  | 'scheduler'
>;

/** A provider error is retried by the platform (Lambda's two retries); the third attempt's error is final. */
export const MAX_SEND_ATTEMPTS = 3;

/**
 * How long a delivery holds a message's lease: the longest a delivering function can run. After
 * that the holder is certainly gone, and a retry that finds the lease knows it was interrupted.
 */
export const LEASE_MS =
  Math.max(FUNCTION_TIMEOUT_SECONDS['deliver-touchpoint'], FUNCTION_TIMEOUT_SECONDS['send-broadcast']) * 1000;

export interface DeliveryRequest {
  /** The ledger key: a touchpoint id, or campaign#occurrence#customer for a broadcast. */
  messageId: string;
  campaignId: string;
  customerId: string;
  purchase?: Purchase | undefined;
  product?: Product | undefined;
  /** Loads the product and purchase, called only when the campaign's templates may read them. */
  loadContext?: () => Promise<{ product?: Product | undefined; purchase?: Purchase | undefined }>;
  extra?: Pick<Message, 'touchpointId' | 'purchaseId' | 'sku' | 'skus' | 'occurrence'>;
  /** How to fire this message again when it is deferred: a schedule target and its payload. */
  refire: { target: ScheduleTarget; payload: Record<string, unknown> };
  /** The invocation's remaining time (Lambda's context); a send that could not finish is not started. */
  remainingMs?: (() => number) | undefined;
}

export interface DeliveryOutcome {
  status?: MessageStatus | undefined;
  reason?: string | undefined;
  deferredUntil?: string | undefined;
  /** Nothing was done: the message had ended already, or another delivery holds it. */
  duplicate?: boolean;
}

/** Thrown before the send when too little time is left; the platform's retry delivers it. */
export class OutOfTimeError extends Error {
  constructor() {
    super('too little time left in this invocation to send; leaving it to the retry');
  }
}

const addressOf = (customer: Customer, channel: Campaign['channel']) =>
  channel === 'email' ? customer.email : customer.phone;

/** What stops a message for good: only consent, opt-out and a missing customer or campaign. */
const suppressedBy = async (
  deps: DeliveryDeps,
  campaign: Campaign | undefined,
  customer: Customer | undefined,
): Promise<SuppressionReason | undefined> => {
  if (!campaign) return 'campaign-deleted';
  if (campaign.status !== 'active') return 'campaign-not-active';
  if (!customer) return 'customer-deleted';
  if (!customer.consent[campaign.channel]) return 'no-consent';
  const address = addressOf(customer, campaign.channel);
  if (!address) return 'no-address';
  if (await deps.optOuts.isOptedOut(campaign.channel, address)) return 'opted-out';
  return undefined;
};

/** A deferral's schedule name: unique per message and time, at most 64 characters. */
const deferralName = (messageId: string, until: Date) =>
  `df-${createHash('sha256').update(`${messageId}|${until.toISOString()}`).digest('hex').slice(0, 40)}`;

const outcomeOf = (message: Message): DeliveryOutcome => ({
  status: message.status,
  ...(message.reason ? { reason: message.reason } : {}),
  ...(message.deferredUntil ? { deferredUntil: message.deferredUntil } : {}),
});

/**
 * Delivers one message, re-checking everything when it fires. Everything that can be decided
 * without sending is decided first and written on a free ledger entry: suppressed (for good),
 * deferred (to the earliest time the window, quiet hours and frequency cap allow, with a one-time
 * schedule that fires it again), or failed (a template that cannot be rendered or is too long).
 * Only then does the delivery take the ledger lease and call the provider, so a duplicate or
 * concurrent firing never sends twice. A provider error gives the lease back and throws, so the
 * platform retries, up to MAX_SEND_ATTEMPTS; every other path ends in a status.
 */
export const deliverMessage = async (
  deps: DeliveryDeps,
  request: DeliveryRequest,
): Promise<DeliveryOutcome> => {
  const now = deps.clock.now();
  const [campaign, customer] = await Promise.all([
    deps.campaigns.get(request.campaignId),
    deps.customers.get(request.customerId),
  ]);
  const base: Message = {
    id: request.messageId,
    campaignId: request.campaignId,
    customerId: request.customerId,
    channel: campaign?.channel ?? 'email',
    status: 'suppressed',
    sentAt: now.toISOString(),
    attempts: 0,
    ...request.extra,
  };

  const counted = (message: Message): DeliveryOutcome => {
    metrics.addMetric(message.status, 'Count', 1);
    return outcomeOf(message);
  };
  const afterConflict = async (conflict: LedgerConflict): Promise<DeliveryOutcome> => {
    if (conflict.state === 'busy') return { duplicate: true };
    if (conflict.state === 'final') return { ...outcomeOf(conflict.message), duplicate: true };
    // The holder died between taking the lease and writing the outcome: it may have sent.
    const failed: Message = {
      ...base,
      ...conflict.message,
      status: 'failed',
      reason: 'interrupted while sending; not sent again because it may have been delivered',
      sentAt: now.toISOString(),
    };
    await deps.messages.closeInterrupted(failed, conflict.lease);
    return counted(failed);
  };
  const decide = async (message: Message) => {
    const result = await deps.messages.decide(message);
    return result.state === 'decided' ? counted(message) : afterConflict(result);
  };

  const suppressed = await suppressedBy(deps, campaign, customer);
  if (suppressed || !campaign || !customer) {
    return decide({ ...base, status: 'suppressed', reason: suppressed });
  }
  const to = addressOf(customer, campaign.channel) as string;
  // The customer's variant (issue 13) is what is rendered, and the message says which one it was.
  const assigned = messageFor(campaign, customer.id);
  const chosen = { ...campaign, message: assigned.message };
  const message: Message = { ...base, to, ...(assigned.variant ? { variant: assigned.variant } : {}) };

  const defer = async (until: Date, reason: DeferralReason) => {
    await deps.scheduler.createOnce({
      name: deferralName(message.id, until),
      at: localMinute(until, customer.timezone),
      timezone: customer.timezone,
      target: request.refire.target,
      payload: request.refire.payload,
      flexibleMinutes: 0,
    });
    return decide({ ...message, status: 'deferred', reason, deferredUntil: until.toISOString() });
  };

  // Marketing SMS through a provider with quiet hours (Alibaba Cloud) narrows the window further.
  const quiet = campaign.channel === 'sms' && !campaign.survey ? deps.sms.quietHours : undefined;
  const window = narrowByQuietHours(campaign.sendWindow, quiet);
  if (!inWindow(now, customer.timezone, window)) {
    const reason = inWindow(now, customer.timezone, campaign.sendWindow)
      ? 'quiet-hours'
      : 'outside-send-window';
    return defer(nextInWindow(now, customer.timezone, window), reason);
  }

  let content: { subject?: string; body: string };
  let unsubscribeUrl = '';
  try {
    unsubscribeUrl = needsUnsubscribeLink(chosen)
      ? `${deps.settings.publicBaseUrl}/unsubscribe/${await deps.signer.sign({ c: customer.id, ch: campaign.channel, a: to })}`
      : '';
    const { product, purchase } =
      request.loadContext && readsPurchaseContext(chosen) ? await request.loadContext() : request;
    content = await composeMessage(chosen, { customer, product, purchase, unsubscribeUrl });
  } catch (error) {
    if (!(error instanceof RenderError)) throw error;
    return decide({ ...message, status: 'failed', reason: error.message });
  }
  const tooLong = renderedProblems(campaign.channel, content);
  if (tooLong.length > 0) {
    const reason = tooLong.map((p) => `${p.path} ${p.message}`).join('; ');
    return decide({ ...message, status: 'failed', reason });
  }

  // The cap limits marketing. A survey is a service message (transactional SMS, outside quiet
  // hours too): it neither waits for the day's slot nor takes it, and writes no cap item.
  if (
    !campaign.survey &&
    !(await deps.frequencyCap.claim(customer.id, localDate(now, customer.timezone), message.id))
  ) {
    return defer(nextDayInWindow(now, customer.timezone, window), 'frequency-cap');
  }
  // The control group (issue 13) goes through every check a send would, so `holdout` is recorded at
  // the time the message would have gone; only the send itself (and its survey) is left out.
  if (isHeldOut(campaign, customer.id)) return decide({ ...message, status: 'holdout' });
  if (request.remainingMs && request.remainingMs() < SEND_TIME_BUDGET_MS) throw new OutOfTimeError();

  const claim = await deps.messages.claim(message, now.getTime() + LEASE_MS, now);
  if (claim.state !== 'claimed') return afterConflict(claim);
  const sending = { ...message, attempts: claim.attempts };

  let providerMessageId: string;
  try {
    ({ providerMessageId } =
      campaign.channel === 'email'
        ? await deps.mailer.send({
            to,
            subject: content.subject ?? campaign.name,
            body: content.body,
            headers: {
              'List-Unsubscribe': `<${unsubscribeUrl}>`,
              'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
            },
            tags: { customerId: customer.id, campaignId: campaign.id },
          })
        : await deps.sms.send({
            to,
            body: content.body,
            kind: campaign.survey ? 'transactional' : 'promotional',
          }));
  } catch (error) {
    logger.warn('send failed', { messageId: message.id, attempt: claim.attempts, error: error as Error });
    if (claim.attempts < MAX_SEND_ATTEMPTS) {
      await deps.messages.release(sending, claim.lease);
      throw error;
    }
    const failed: Message = {
      ...sending,
      status: 'failed',
      reason: `send failed: ${(error as Error).message}`,
    };
    await deps.messages.finish(failed, claim.lease);
    return counted(failed);
  }

  const sent: Message = {
    ...sending,
    ...content,
    status: 'sent',
    providerMessageId,
    sentAt: deps.clock.now().toISOString(),
  };
  const survey: Survey | undefined = campaign.survey
    ? {
        id: sent.id,
        customerId: customer.id,
        phone: to,
        campaignId: campaign.id,
        ...(sent.purchaseId ? { purchaseId: sent.purchaseId } : {}),
        ...(sent.sku ? { sku: sent.sku } : {}),
        ...(sent.skus ? { skus: sent.skus } : {}),
        providerMessageId,
        sentAt: sent.sentAt,
        expiresAt: new Date(Date.parse(sent.sentAt) + SURVEY_DAYS * 86_400_000).toISOString(),
        status: 'open',
        scale: surveyScaleOf(campaign.survey), // issue 12
      }
    : undefined;
  await deps.messages.finish(sent, claim.lease, survey);
  return counted(sent);
};
