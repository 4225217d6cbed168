import { createHash } from 'node:crypto';
import { encodeTime } from 'ulid';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A ULID that is the same every time for the same seed: the time part from `at`, the random part
 * from a hash of the seed. Work that may run twice (at-least-once delivery) writes under it with a
 * conditional put, so the second run finds the first one's record.
 */
export const stableId = (at: string, seed: string): string => {
  const hash = createHash('sha256').update(seed).digest();
  let random = '';
  for (let i = 0; i < 16; i++) random += CROCKFORD[(hash[i] as number) % 32];
  return encodeTime(Date.parse(at), 10) + random;
};
