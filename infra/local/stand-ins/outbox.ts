import { randomUUID } from 'node:crypto';
import type { Clock } from '../../../shared/ports/clock.ts';
import type { Mailer, SmsSender } from '../../../shared/ports/messaging.ts';

export interface OutboxEntry {
  channel: 'email' | 'sms';
  to: string;
  subject?: string;
  body: string;
  headers?: Record<string, string>;
  kind?: string;
  providerMessageId: string;
  sentAt: string;
}

/** Local SES and SNS: every message "sent" lands here, with a provider message id like the real ones. */
export const localOutbox = (clock: Clock) => {
  const entries: OutboxEntry[] = [];
  const mailer: Mailer = {
    async send(email) {
      const providerMessageId = `local-ses-${randomUUID()}`;
      entries.push({ channel: 'email', ...email, providerMessageId, sentAt: clock.now().toISOString() });
      return { providerMessageId };
    },
  };
  const sms: SmsSender = {
    async send(message) {
      const providerMessageId = `local-sns-${randomUUID()}`;
      entries.push({ channel: 'sms', ...message, providerMessageId, sentAt: clock.now().toISOString() });
      return { providerMessageId };
    },
  };
  return {
    mailer,
    sms,
    list: (filter: { channel?: string | undefined; to?: string | undefined } = {}) =>
      entries.filter(
        (entry) =>
          (!filter.channel || entry.channel === filter.channel) && (!filter.to || entry.to === filter.to),
      ),
  };
};
