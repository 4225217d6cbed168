import { describe, expect, it } from 'vitest';
import { contentProblems } from '../../shared/domain/compose-message.ts';

const sms = (body: string) => ({ name: 'Check', channel: 'sms' as const, survey: false, message: { body } });

describe('template checks at save', () => {
  it('names a helper that does not exist here, the removed log helper too, instead of an internal error', async () => {
    expect(await contentProblems(sms('{{log "hi"}} x'))).toEqual([
      { path: 'message.body', message: 'message.body cannot be rendered: Missing helper: "log"' },
    ]);
    expect(await contentProblems(sms('{{shout customer.name}}'))).toEqual([
      { path: 'message.body', message: 'message.body cannot be rendered: Missing helper: "shout"' },
    ]);
  });
});
