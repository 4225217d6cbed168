import { describe, expect, it } from 'vitest';
import { type ParsedReply, parseReply } from '../../shared/domain/reply-parser.ts';

const satisfied = (comment?: string): ParsedReply => ({
  kind: 'score',
  score: 'satisfied',
  ...(comment ? { comment } : {}),
});
const unsatisfied = (comment?: string): ParsedReply => ({
  kind: 'score',
  score: 'unsatisfied',
  ...(comment ? { comment } : {}),
});
const unclear = (reason: string): ParsedReply => ({ kind: 'unclear', reason }) as ParsedReply;

const cases: [string, ParsedReply][] = [
  ['1', satisfied()],
  ['2', unsatisfied()],
  [' 1 ', satisfied()],
  ['１', satisfied()],
  ['２', unsatisfied()],
  ['\u30002\u3000', unsatisfied()],
  ['1。', satisfied()],
  ['1.', satisfied()],
  ['1!', satisfied()],
  ['2！！', unsatisfied()],
  ['1?', satisfied()],
  ['满意', satisfied()],
  ['非常满意', satisfied()],
  ['很满意！', satisfied()],
  ['不满意', unsatisfied()],
  ['非常不满意', unsatisfied()],
  ['不满意，球拍太重', unsatisfied('球拍太重')],
  ['satisfied', satisfied()],
  ['Satisfied!', satisfied()],
  ['very satisfied', satisfied()],
  ['unsatisfied', unsatisfied()],
  ['UNSATISFIED', unsatisfied()],
  ['dissatisfied', unsatisfied()],
  ['not satisfied', unsatisfied()],
  ['2 paddle broke', unsatisfied('paddle broke')],
  ['2, paddle broke.', unsatisfied('paddle broke')],
  ['２ 球拍胶皮起泡了', unsatisfied('球拍胶皮起泡了')],
  ['2球拍坏了', unsatisfied('球拍坏了')],
  ['1 great service 👍', satisfied('great service 👍')],
  ['2 <script>alert(1)</script>', unsatisfied('<script>alert(1)</script>')],
  ['1,2', unclear('ambiguous')],
  ['1 还是 2', unclear('ambiguous')],
  ["2 '; DROP TABLE surveys; --", unsatisfied("'; DROP TABLE surveys; --")],
  ['2 <b>bad</b>', unsatisfied('<b>bad</b>')],
  ['12', unclear('ambiguous')],
  ['1 or 2', unclear('ambiguous')],
  ['1/2', unclear('ambiguous')],
  ['3', unclear('out-of-range')],
  ['0', unclear('out-of-range')],
  ['hello', unclear('unrecognised')],
  ['', unclear('empty')],
  ['   ', unclear('empty')],
  ['。', unclear('empty')],
  ['STOP', { kind: 'opt-out' }],
  ['stop', { kind: 'opt-out' }],
  ['Stop.', { kind: 'opt-out' }],
  ['1 STOP', { kind: 'opt-out' }],
  ['2 stop texting me', { kind: 'opt-out' }],
  ['UNSUBSCRIBE', { kind: 'opt-out' }],
  ['cancel', { kind: 'opt-out' }],
  ['END', { kind: 'opt-out' }],
  ['quit', { kind: 'opt-out' }],
  ['OPTOUT', { kind: 'opt-out' }],
  ['remove', { kind: 'opt-out' }],
  ['ARRET', { kind: 'opt-out' }],
  ['TD', { kind: 'opt-out' }],
  ['td', { kind: 'opt-out' }],
  ['退订', { kind: 'opt-out' }],
  ['满意 退订', { kind: 'opt-out' }],
  ['拒收', { kind: 'opt-out' }],
  ['ＳＴＯＰ', { kind: 'opt-out' }],
  ['START', { kind: 'opt-in' }],
  ['unstop', { kind: 'opt-in' }],
  ['HELP', { kind: 'help' }],
  ['help?', { kind: 'help' }],
  ['帮助', { kind: 'help' }],
];

describe('survey reply parser', () => {
  it('has a thorough table', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  it.each(cases)('%j', (text, expected) => {
    expect(parseReply(text)).toEqual(expected);
  });

  it('never reads 不满意 as 满意', () => {
    for (const text of ['不满意', '非常不满意', '很不满意', '不满意。'])
      expect(parseReply(text)).toMatchObject({ score: 'unsatisfied' });
  });
});
