export interface OutboundEmail {
  to: string;
  subject: string;
  body: string;
  headers?: Record<string, string>;
  /** SES message tags; bounce and complaint events carry them back (customerId). */
  tags?: Record<string, string>;
}

export interface OutboundSms {
  to: string;
  body: string;
  /** Transactional for surveys and staff notices, Promotional for marketing. */
  kind: 'transactional' | 'promotional';
}

export interface Mailer {
  send(email: OutboundEmail): Promise<{ providerMessageId: string }>;
}

export interface SmsSender {
  send(sms: OutboundSms): Promise<{ providerMessageId: string }>;
  /**
   * Local times (recipient's zone) in which the provider must not deliver marketing SMS; delivery
   * defers promotional messages out of them. Alibaba Cloud: 20:00–08:00.
   */
  quietHours?: { start: string; end: string };
}
