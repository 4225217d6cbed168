/** Signs small payloads for links that need no login (unsubscribe); KMS HMAC in AWS, a local key here. */
export interface TokenSigner {
  sign(payload: Record<string, string>): Promise<string>;
  /** The payload, or undefined when the token was not signed by us or was altered. */
  verify(token: string): Promise<Record<string, string> | undefined>;
}
