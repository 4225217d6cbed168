/**
 * Reads an SMS reply to a satisfaction survey. Pure: the same text always gives the same answer.
 *
 * Order matters: opt-out keywords win over everything, then opt-in and help, then a score.
 */
export type ParsedReply =
  | { kind: 'score'; score: 'satisfied' | 'unsatisfied'; comment?: string }
  | { kind: 'opt-out' }
  | { kind: 'opt-in' }
  | { kind: 'help' }
  | { kind: 'unclear'; reason: 'empty' | 'ambiguous' | 'out-of-range' | 'unrecognised' };

const OPT_OUT = new Set(['STOP', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'OPTOUT', 'REMOVE', 'ARRET', 'TD']);
const OPT_OUT_CHINESE = ['退订', '拒收'];
const OPT_IN = new Set(['START', 'UNSTOP']);
const HELP = new Set(['HELP']);
const HELP_CHINESE = ['帮助'];

/** NFKC turns full-width digits and the ideographic space into ASCII; trailing punctuation goes. */
export const normaliseReply = (raw: string): string =>
  raw
    .normalize('NFKC')
    .replace(/[\s\u3000]+/g, ' ')
    .trim()
    .replace(/[\s.,;:!?。，、；：！？~…'"”’)\]）】]+$/u, '')
    .trim();

const UNSATISFIED =
  /^(?:非常|很|特别)?不满意|^(?:very\s+)?(?:unsatisfied|dissatisfied)\b|^not\s+satisfied\b/i;
const SATISFIED = /^(?:非常|很|特别)?满意|^(?:very\s+)?satisfied\b/i;

const cleanComment = (text: string) => text.replace(/^[\s,.;:!?，。、；：！？\-–—]+/u, '').trim();

const withComment = (score: 'satisfied' | 'unsatisfied', rest: string): ParsedReply => {
  const comment = cleanComment(rest);
  return comment ? { kind: 'score', score, comment } : { kind: 'score', score };
};

export const parseReply = (raw: string): ParsedReply => {
  const text = normaliseReply(raw);
  if (!text) return { kind: 'unclear', reason: 'empty' };
  const words = text
    .toUpperCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  if (words.some((word) => OPT_OUT.has(word)) || OPT_OUT_CHINESE.some((k) => text.includes(k)))
    return { kind: 'opt-out' };
  if (words.length > 0 && words.every((word) => OPT_IN.has(word))) return { kind: 'opt-in' };
  if ((words.length === 1 && HELP.has(words[0] as string)) || HELP_CHINESE.some((k) => text === k))
    return { kind: 'help' };

  const unsatisfied = UNSATISFIED.exec(text);
  if (unsatisfied) return withComment('unsatisfied', text.slice(unsatisfied[0].length));
  const satisfied = SATISFIED.exec(text);
  if (satisfied) return withComment('satisfied', text.slice(satisfied[0].length));

  const number = /^(\d+)(.*)$/su.exec(text);
  if (!number) return { kind: 'unclear', reason: 'unrecognised' };
  const [, digits = '', rest = ''] = number;
  if (digits !== '1' && digits !== '2')
    return { kind: 'unclear', reason: digits.length > 1 ? 'ambiguous' : 'out-of-range' };
  // "1 or 2", "1/2", "1,2": a second score right after the first means the customer did not choose.
  if (/^\s*(?:or|and|\/|,|、|或|还是|和)?\s*[12](?!\p{N})/iu.test(rest))
    return { kind: 'unclear', reason: 'ambiguous' };
  return withComment(digits === '1' ? 'satisfied' : 'unsatisfied', rest);
};
