import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { jwtVerify, SignJWT } from 'jose';
import type { Role } from '../../shared/domain/principal.ts';

const ISSUER = 'urn:crm:local';
const AUDIENCE = 'crm-local';

/**
 * The local runtime's stand-in for Cognito: it signs tokens with the claim shape Cognito ID tokens
 * carry (sub, cognito:groups, token_use) and verifies them the way API Gateway's JWT authorizer would.
 */
export interface LocalTokens {
  /** The local signing key, also used for unsubscribe links. */
  key: Buffer;
  issue(claims: { sub: string; roles: Role[] }): Promise<string>;
  verify(token: string): Promise<Record<string, unknown> | undefined>;
}

/** With a data folder the signing key is kept there, so tokens survive a restart. */
export const localTokens = (dataDir?: string): LocalTokens => {
  const keyFile = dataDir ? join(dataDir, 'token-signing.key') : undefined;
  let secret: Buffer;
  if (keyFile && existsSync(keyFile)) secret = readFileSync(keyFile);
  else {
    secret = randomBytes(32);
    if (keyFile) writeFileSync(keyFile, secret, { mode: 0o600 });
  }
  return {
    key: secret,
    issue: ({ sub, roles }) =>
      new SignJWT({ 'cognito:groups': roles, 'cognito:username': sub, token_use: 'id' })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(sub)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime('12h')
        .sign(secret),
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, secret, {
          issuer: ISSUER,
          audience: AUDIENCE,
          algorithms: ['HS256'],
        });
        return payload as Record<string, unknown>;
      } catch {
        return undefined;
      }
    },
  };
};
