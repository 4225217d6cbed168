import { createHmac, timingSafeEqual } from 'node:crypto';
import type { TokenSigner } from '../ports/token-signer.ts';

/** The local stand-in for KMS HMAC, with the same token format. */
export const hmacSigner = (secret: Buffer): TokenSigner => {
  const mac = (message: Buffer) => createHmac('sha256', secret).update(message).digest();
  return {
    async sign(payload) {
      const message = Buffer.from(JSON.stringify(payload));
      return `${message.toString('base64url')}.${mac(message).toString('base64url')}`;
    },
    async verify(token) {
      const [body, signature] = token.split('.');
      if (!body || !signature) return undefined;
      const message = Buffer.from(body, 'base64url');
      const given = Buffer.from(signature, 'base64url');
      const expected = mac(message);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
      try {
        return JSON.parse(message.toString('utf8')) as Record<string, string>;
      } catch {
        return undefined;
      }
    },
  };
};
