import { describe, expect, it } from 'vitest';
import { type ParsedReply, parseReply } from '../../shared/domain/reply-parser.ts';
import { type ReplyCase, replies } from '../data/replies.ts';

const expected = (row: ReplyCase): ParsedReply => {
  if (row.score)
    return {
      kind: 'score',
      score: row.score,
      ...(row.rating !== undefined ? { rating: row.rating } : {}),
      ...(row.comment ? { comment: row.comment } : {}),
      optOut: row.optOut ?? false,
    };
  if (row.kind === 'unclear') return { kind: 'unclear', reason: row.reason ?? 'unrecognised' };
  return { kind: row.kind ?? 'opt-out' } as ParsedReply;
};

describe('survey reply reader (test/data/replies.ts)', () => {
  it('has a table of at least 150 replies', () => {
    expect(replies.length).toBeGreaterThanOrEqual(150);
    expect(new Set(replies.map((r) => `${r.scale}:${r.reply}`)).size).toBe(replies.length);
  });

  it.each(replies.map((row) => [row.scale ?? 'binary', row.reply, row] as const))(
    '%s %j',
    (scale, reply, row) => {
      expect(parseReply(reply, scale)).toEqual(expected(row));
    },
  );

  it('never reads 不满意 as 满意, whatever the adverb', () => {
    for (const text of ['不满意', '非常不满意', '很不满意', '不满意。', '不太满意', '有点不满意'])
      expect(parseReply(text, 'csat5')).toMatchObject({ score: 'unsatisfied' });
  });

  it('leaves no keycap or variation-selector parts in a comment', () => {
    for (const text of ['2️⃣ 拍子坏了', '1⃣ nice', '2\ufe0f 太重'])
      expect(JSON.stringify(parseReply(text))).not.toMatch(/\\u(?:20e3|fe0f)|[\u20e3\ufe0f]/iu);
  });
});
