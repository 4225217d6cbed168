/** Secrets that authenticate a provider's push to a public route (the secret is part of the URL). */
export interface PushSecrets {
  /** The {secret} of POST /sms/inbound/aliyun/{secret}; undefined when this deployment has none. */
  aliyun(): Promise<string | undefined>;
}
