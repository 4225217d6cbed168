import type { CrmDependencies } from '../ports/dependencies.ts';

/** The parts of an SES (v2, via EventBridge) bounce or complaint event this CRM reads. */
export interface SesFeedbackEvent {
  'detail-type': string;
  time: string;
  detail: {
    eventType?: string;
    mail?: { messageId?: string; tags?: Record<string, string[]> };
    bounce?: { bounceType?: string; bouncedRecipients?: { emailAddress?: string }[] };
    complaint?: { complainedRecipients?: { emailAddress?: string }[] };
  };
}

type FeedbackDeps = Pick<CrmDependencies, 'optOuts' | 'timeline'>;

/**
 * A permanent bounce or a complaint suppresses the address for email; the customer (from the tag
 * the delivery put on the email) sees it on their timeline. Transient bounces change nothing.
 */
export const handleSesFeedback = async (deps: FeedbackDeps, event: SesFeedbackEvent): Promise<string[]> => {
  const { detail } = event;
  const kind = detail.eventType ?? (event['detail-type'].includes('Complaint') ? 'Complaint' : 'Bounce');
  if (kind === 'Bounce' && detail.bounce?.bounceType !== 'Permanent') return [];
  const recipients =
    (kind === 'Complaint' ? detail.complaint?.complainedRecipients : detail.bounce?.bouncedRecipients) ?? [];
  const addresses = recipients.flatMap((r) => (r.emailAddress ? [r.emailAddress.toLowerCase()] : []));
  const customerId = detail.mail?.tags?.customerId?.[0];
  for (const address of addresses) {
    await deps.optOuts.optOut('email', address, kind.toLowerCase(), new Date(event.time));
    if (customerId) {
      const id = `${detail.mail?.messageId ?? event.time}#${address}`;
      await deps.timeline.note(customerId, 'email-feedback', new Date(event.time).toISOString(), id, {
        kind: kind.toLowerCase(),
        address,
        sesMessageId: detail.mail?.messageId,
      });
    }
  }
  return addresses;
};
