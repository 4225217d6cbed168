import type { Campaign } from '../domain/campaign.ts';
import type { Customer } from '../domain/customer.ts';
import type { Message, SuppressionReason } from '../domain/message.ts';
import type { Product } from '../domain/product.ts';
import type { Purchase } from '../domain/purchase.ts';
import { smsBody } from '../domain/sms-text.ts'; // issue 12: survey question / opt-out footer
import { SURVEY_DAYS, type Survey, surveyScaleOf } from '../domain/survey.ts';
import { renderTemplate } from '../domain/templates.ts';
import { inSendWindow } from '../domain/touchpoint.ts';
import { localDate } from '../domain/zoned-time.ts';
import { logger, metrics } from '../observability.ts';
import type { CrmDependencies } from '../ports/dependencies.ts';

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
>;

/** Sends are retried this many times (by the scheduler or queue redelivery) before a message is failed. */
export const MAX_SEND_ATTEMPTS = 3;

export interface DeliveryRequest {
  /** The ledger key: a touchpoint id, or campaign#occurrence#customer for a broadcast. */
  messageId: string;
  campaignId: string;
  customerId: string;
  purchase?: Purchase | undefined;
  product?: Product | undefined;
  extra?: Pick<Message, 'touchpointId' | 'purchaseId' | 'sku' | 'occurrence'>;
}

export type DeliveryOutcome = Pick<Message, 'status' | 'reason'> & { duplicate?: boolean };

/** Only the customer's own interests, in the order the campaign lists them. */
export const interestAdvice = (campaign: Campaign, customer: Customer): string =>
  Object.entries(campaign.message.byInterest ?? {})
    .filter(([interest]) => customer.interests.includes(interest))
    .map(([, advice]) => advice)
    .join('\n\n');

const addressOf = (customer: Customer, channel: Campaign['channel']) =>
  channel === 'email' ? customer.email : customer.phone;

const blockedBy = async (
  deps: DeliveryDeps,
  campaign: Campaign | undefined,
  customer: Customer | undefined,
  now: Date,
): Promise<SuppressionReason | undefined> => {
  if (!campaign) return 'campaign-deleted';
  if (campaign.status !== 'active') return 'campaign-not-active';
  if (!customer) return 'customer-deleted';
  if (!customer.consent[campaign.channel]) return 'no-consent';
  const address = addressOf(customer, campaign.channel);
  if (!address) return 'no-address';
  if (await deps.optOuts.isOptedOut(campaign.channel, address)) return 'opted-out';
  if (!inSendWindow(now, customer.timezone, campaign.sendWindow)) return 'outside-send-window';
  return undefined;
};

/**
 * Delivers one message, re-checking everything at fire time. The ledger entry is claimed before
 * anything is sent, so a duplicate or concurrent firing never sends twice; a send error gives the
 * claim back so the platform's retry can send, up to MAX_SEND_ATTEMPTS.
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
    status: 'sending',
    sentAt: now.toISOString(),
    attempts: 1,
    ...request.extra,
  };
  const claim = await deps.messages.claim(base, now);
  if (claim.state === 'done') return { status: claim.message.status as Message['status'], duplicate: true };
  if (claim.state === 'interrupted') {
    // It may have been sent just before the crash; not sending again is the lesser harm.
    const failed: Message = {
      ...claim.message,
      status: 'failed',
      reason: 'interrupted after the send started; not resent',
    };
    await deps.messages.finish(failed, { failed: 1 });
    return { status: 'failed', reason: failed.reason };
  }
  const message = claim.message;

  const finish = async (
    final: Message,
    counters: Parameters<DeliveryDeps['messages']['finish']>[1],
    survey?: Survey,
  ) => {
    await deps.messages.finish(final, counters, survey);
    metrics.addMetric(final.status, 'Count', 1);
    return { status: final.status, ...(final.reason ? { reason: final.reason } : {}) };
  };

  const blocked = await blockedBy(deps, campaign, customer, now);
  if (blocked || !campaign || !customer) {
    return finish({ ...message, status: 'suppressed', reason: blocked }, { suppressed: 1 });
  }
  const to = addressOf(customer, campaign.channel) as string;
  if (!(await deps.frequencyCap.claim(customer.id, localDate(now, customer.timezone), message.id))) {
    return finish({ ...message, to, status: 'suppressed', reason: 'frequency-cap' }, { suppressed: 1 });
  }

  const token = await deps.signer.sign({ c: customer.id, ch: campaign.channel, a: to });
  const unsubscribeUrl = `${deps.settings.publicBaseUrl}/unsubscribe/${token}`;
  const context = {
    customer,
    product: request.product,
    purchase: request.purchase,
    interestAdvice: interestAdvice(campaign, customer),
    unsubscribeUrl,
  };
  let body = (await renderTemplate(campaign.message.body, context)).trim();
  // issue 12: a survey says how to answer, marketing SMS ends with the opt-out footer (customer's locale).
  if (campaign.channel === 'sms') body = smsBody(body, surveyScaleOf(campaign.survey), customer.locale);
  const subject = campaign.message.subject
    ? await renderTemplate(campaign.message.subject, context)
    : undefined;

  let providerMessageId: string;
  try {
    ({ providerMessageId } =
      campaign.channel === 'email'
        ? await deps.mailer.send({
            to,
            subject: subject ?? campaign.name,
            body: `${body}\n\nUnsubscribe: ${unsubscribeUrl}`,
            headers: {
              'List-Unsubscribe': `<${unsubscribeUrl}>`,
              'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
            },
            tags: { customerId: customer.id, campaignId: campaign.id },
          })
        : await deps.sms.send({ to, body, kind: campaign.survey ? 'transactional' : 'promotional' }));
  } catch (error) {
    logger.warn('send failed', { messageId: message.id, attempt: message.attempts, error: error as Error });
    if (message.attempts < MAX_SEND_ATTEMPTS) {
      await deps.messages.release(message);
      throw error;
    }
    return finish(
      { ...message, to, status: 'failed', reason: `send failed: ${(error as Error).message}` },
      { failed: 1 },
    );
  }

  const sent: Message = {
    ...message,
    to,
    body,
    ...(subject ? { subject } : {}),
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
        providerMessageId,
        sentAt: sent.sentAt,
        expiresAt: new Date(Date.parse(sent.sentAt) + SURVEY_DAYS * 86_400_000).toISOString(),
        status: 'open',
        scale: surveyScaleOf(campaign.survey), // issue 12
      }
    : undefined;
  return finish(sent, { sent: 1, ...(survey ? { surveys: 1 } : {}) }, survey);
};
