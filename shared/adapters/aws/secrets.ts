import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/** Re-read this often, so a rotated secret takes effect without a deploy. */
const CACHE_MS = 5 * 60_000;

/** A secret's value, read from Secrets Manager on first use and cached per cold start for CACHE_MS. */
export const secretReader = (client: SecretsManagerClient, secretId: string, now = () => Date.now()) => {
  let cached: { value: string; at: number } | undefined;
  return async (): Promise<string> => {
    if (cached && now() - cached.at < CACHE_MS) return cached.value;
    const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
    if (!SecretString) throw new Error(`Secret ${secretId} has no string value`);
    cached = { value: SecretString, at: now() };
    return SecretString;
  };
};
