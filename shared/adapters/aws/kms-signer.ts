import { GenerateMacCommand, type KMSClient, VerifyMacCommand } from '@aws-sdk/client-kms';
import type { TokenSigner } from '../../ports/token-signer.ts';

const ALGORITHM = 'HMAC_SHA_256';

/** Tokens are base64url(payload).base64url(mac); the HMAC key never leaves KMS. */
export const kmsSigner = (client: KMSClient, keyId: string): TokenSigner => ({
  async sign(payload) {
    const message = Buffer.from(JSON.stringify(payload));
    const { Mac } = await client.send(
      new GenerateMacCommand({ KeyId: keyId, MacAlgorithm: ALGORITHM, Message: message }),
    );
    return `${message.toString('base64url')}.${Buffer.from(Mac ?? []).toString('base64url')}`;
  },
  async verify(token) {
    const [body, mac] = token.split('.');
    if (!body || !mac) return undefined;
    const message = Buffer.from(body, 'base64url');
    try {
      const { MacValid } = await client.send(
        new VerifyMacCommand({
          KeyId: keyId,
          MacAlgorithm: ALGORITHM,
          Message: message,
          Mac: Buffer.from(mac, 'base64url'),
        }),
      );
      return MacValid ? (JSON.parse(message.toString('utf8')) as Record<string, string>) : undefined;
    } catch (error) {
      if ((error as Error).name === 'KMSInvalidMacException') return undefined;
      throw error;
    }
  },
});
