/**
 * Reads an SMS reply to a satisfaction survey the way the customer meant it. Pure: the same text
 * and scale always give the same reading. Every SMS provider (AWS, Alibaba Cloud) uses this module.
 *
 * The reading, in order:
 * 1. normalise: HTML tags and entities go, keycap emoji (1️⃣), circled (①, ❶) and full-width (１)
 *    digits become ASCII digits, Chinese punctuation stays as typed (it is kept in the comment);
 * 2. a whole reply that is START/UNSTOP or HELP is that;
 * 3. opt-out: a clause that is nothing but opt-out keywords (STOP, 退订, TD, R, …, with polite
 *    filler words), or a plain request to stop ("stop texting me", "不要再发了", "取消订阅"). The
 *    same words inside a comment about the product ("2 the grip broke at the end") do not count;
 * 4. the answer: a leading number (1/2, 1–5 or 0–10 by scale, also "4分", "5 stars", "⭐⭐⭐⭐"),
 *    else the explicit rating words (满意 with its degree adverbs and negations, 好评/差评,
 *    satisfied/dissatisfied), else everyday praise and complaint words, where the part after a
 *    "but" (但是, 不过, but) decides and a complaint outweighs praise;
 * 5. the comment: what is left once the leading answer and any opt-out clause are taken out.
 */
export type SurveyScale = 'binary' | 'csat5' | 'nps';
export type Score = 'satisfied' | 'neutral' | 'unsatisfied';

export type ParsedReply =
  | { kind: 'score'; score: Score; rating?: number; comment?: string; optOut: boolean }
  | { kind: 'opt-out' }
  | { kind: 'opt-in' }
  | { kind: 'help' }
  | { kind: 'unclear'; reason: 'empty' | 'ambiguous' | 'out-of-range' | 'unrecognised' };

// ---------------------------------------------------------------------------------------------
// Normalising

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
const CIRCLED: [number, number][] = [
  [0x2776, 0x277f], // ❶..❿
  [0x2780, 0x2789], // ➀..➉
  [0x278a, 0x2793], // ➊..➓
  [0x24f5, 0x24fe], // ⓵..⓾
];
/** Full-width punctuation keeps its form (NFKC would turn "，" into ","), so comments read as typed. */
const FULL_WIDTH_PUNCTUATION = /[\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u2026]/u;

const normaliseChar = (char: string): string => {
  const code = char.codePointAt(0) ?? 0;
  for (const [first, last] of CIRCLED) if (code >= first && code <= last) return String(code - first + 1);
  if (code === 0x1f51f) return '10'; // 🔟
  if (FULL_WIDTH_PUNCTUATION.test(char)) return char;
  return char.normalize('NFKC');
};

export const normaliseReply = (raw: string): string =>
  Array.from(
    raw
      .replace(/<\/?[a-z!][^>]*>/giu, ' ')
      .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/giu, (whole, name: string) => {
        if (name.startsWith('#x') || name.startsWith('#X'))
          return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
        if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)));
        return ENTITIES[name.toLowerCase()] ?? whole;
      })
      // Keycap emoji are a digit, VS16 and U+20E3; variation selectors and zero-width spaces go too.
      .replace(/[\ufe0e\ufe0f\u20e3\u200b\ufeff]/gu, ''),
  )
    .map(normaliseChar)
    .join('')
    .replace(/[\s\u3000]+/gu, ' ')
    .trim();

// ---------------------------------------------------------------------------------------------
// Opt-out, opt-in, help

const PUNCTUATION = `\\s.,;:!?'"()\\[\\]{}<>~*#@/\\\\|_+=^\`\\-–—…。，、；：！？“”‘’（）【】《》〈〉「」『』～·`;
const EDGE = new RegExp(`^[${PUNCTUATION}]+|[${PUNCTUATION}]+$`, 'gu');
const trimEdges = (text: string) => text.replace(EDGE, '');
/** Emoji and other pictographs, which carry no opt-out meaning. */
const PICTOGRAPHS = /\p{Extended_Pictographic}|\p{Emoji_Modifier}|\u200d/gu;

const KEYWORDS =
  'stopall|stop|unsubscribe|cancel|end|quit|optout|opt[ -]?out|remove|arret|arrêt|td|t|r|退订|拒收|取消订阅|退订短信|退订信息';
const FILLERS =
  'but|and|also|just|但是|但|另外|还有|please|pls|plz|thanks|thank you|thx|now|asap|me|it|all|already|请|麻烦|帮我|我要|我想|要|谢谢|谢了|了|吧|啦|呢|哦|吗|啊|呀|马上|立即|立刻';
const WHOLE_KEYWORDS = new RegExp(`^(?:(?:${KEYWORDS}|${FILLERS})(?:\\s+|$|(?=[^a-z])))+$`, 'iu');
const HAS_KEYWORD = new RegExp(`(?:^|[^a-z])(?:${KEYWORDS})(?:$|[^a-z])`, 'iu');
/** STOP-like words strong enough to opt out as the first word of any reply ("STOP 2", "stop, broken"). */
const STRONG_FIRST = /^(?:stopall|stop|unsubscribe|optout|opt[ -]out|quit|arret|退订|拒收)(?=$|[^a-z])/iu;

/** Plain requests to stop; matched anywhere in a clause. */
const REQUESTS: RegExp[] = [
  /\b(?:stop|quit|cease|no more|enough)\s+(?:(?:the|these|your|ur|all)\s+)?(?:texting|txting|texts?|txts?|messaging|messages?|msgs?|sms|sending|spamming|spam|contacting|bothering|calling)\b/iu,
  /\b(?:don'?t|do not|dont|never|pls don'?t|please don'?t)\s+(?:ever\s+)?(?:text|txt|message|msg|sms|contact|send|spam|bother)\b/iu,
  /\bunsubscribe\b/iu,
  /\bopt\s*-?\s*(?:me\s+)?out\b/iu,
  /\b(?:remove|take|delete)\s+(?:me|my (?:number|phone))\s*(?:off|from)?\b/iu,
  /\bleave me alone\b/iu,
  /\b(?:i )?(?:don'?t|do not) want (?:any more|anymore|more|these|your|any)\s+(?:texts?|messages?|sms)\b/iu,
  /(?:不要|别|不用|勿|请勿|不需要|不必|无需|停止)(?:再|在)?(?:给我|向我)?(?:发|发送|推送|群发)/u,
  /(?:不想|不愿意?|不再)(?:再)?(?:收到|接收|接到|收)/u,
  /(?:别|不要|勿)(?:再)?(?:打扰|骚扰)/u,
  /取消(?:订阅|短信|推送|通知)/u,
  /退订(?!单)|拒收|垃圾短信|骚扰短信/u,
];

const isOptOutClause = (clause: string): boolean => {
  const core = trimEdges(clause.replace(PICTOGRAPHS, ' ')).replace(/\s+/gu, ' ');
  if (!core) return false;
  if (WHOLE_KEYWORDS.test(core) && HAS_KEYWORD.test(core)) return true;
  return REQUESTS.some((request) => request.test(core));
};

const WHOLE = (words: string) => new RegExp(`^(?:${words})$`, 'iu');
const OPT_IN = WHOLE('start|unstop|subscribe|恢复订阅|重新订阅|订阅|恢复');
const HELP = WHOLE('help|info|帮助|怎么回复|如何回复|什么意思|\\?|？');

// ---------------------------------------------------------------------------------------------
// Answers

/** 1 very unsatisfied … 5 very satisfied: what words say, before a scale gives it a rating. */
type Level = 1 | 2 | 3 | 4 | 5;
interface Reading {
  /** A number on a known scale, e.g. 4 of 5 or 9 of 10; `of: 'native'` means the survey's own scale. */
  value?: { n: number; of: 2 | 5 | 10 | 'native' };
  level?: Level;
  start: number;
  end: number;
}

const expand = (prefixes: string[], stems: string[], suffixes: string[] = ['']) =>
  prefixes.flatMap((p) => stems.flatMap((s) => suffixes.map((x) => `${p}${s}${x}`)));

/** Explicit rating words: these answer the question and outrank descriptions. */
const RATING_WORDS: [Level, string[]][] = [
  [
    1,
    [
      ...expand(
        [
          '非常',
          '很',
          '特别',
          '十分',
          '超级',
          '超',
          '相当',
          '极其',
          '极',
          '太',
          '完全',
          '真的',
          '强烈',
          '极度',
        ],
        ['不满意', '不满'],
      ),
      '一点都不满意',
      '一点也不满意',
      '差评',
      '一星',
      '1星',
      'very unsatisfied',
      'very dissatisfied',
      'extremely dissatisfied',
      'extremely unsatisfied',
      'totally dissatisfied',
      'completely dissatisfied',
      'really dissatisfied',
      'really unsatisfied',
      'not satisfied at all',
      'not at all satisfied',
      'one star',
    ],
  ],
  [
    2,
    [
      ...expand(
        [
          '不太',
          '不是很',
          '不是太',
          '不怎么',
          '不大',
          '不够',
          '不是特别',
          '不甚',
          '不那么',
          '不是那么',
          '没那么',
          '有点',
          '有些',
          '并不',
          '不',
          '还是不',
          '比较不',
        ],
        ['满意'],
      ),
      '不满',
      '中差评',
      'unsatisfied',
      'dissatisfied',
      'not satisfied',
      'not very satisfied',
      'not really satisfied',
      'not so satisfied',
      'not too satisfied',
      'not that satisfied',
      'two stars',
      '二星',
      '两星',
    ],
  ],
  [
    3,
    [
      '不是不满意',
      '谈不上满意',
      '说不上满意',
      '一般满意',
      '中评',
      '三星',
      '3星',
      'neither satisfied nor dissatisfied',
      'somewhat satisfied',
      'three stars',
    ],
  ],
  [
    4,
    [
      ...expand(
        [
          '',
          '比较',
          '还算',
          '挺',
          '还挺',
          '也挺',
          '都挺',
          '还是挺',
          '真挺',
          '蛮',
          '还',
          '基本',
          '基本上',
          '较',
          '算',
          '算是',
          '总体',
          '整体',
          '总的来说',
          '都',
          '也',
          '倒是',
          '还是',
          '满',
        ],
        ['满意'],
      ),
      '好评',
      '四星',
      '4星',
      'satisfied',
      'quite satisfied',
      'fairly satisfied',
      'mostly satisfied',
      'pretty satisfied',
      'four stars',
    ],
  ],
  [
    5,
    [
      ...expand(
        [
          '非常',
          '很',
          '特别',
          '十分',
          '超级',
          '超',
          '相当',
          '极其',
          '太',
          '无比',
          '真',
          '好',
          '非常非常',
          '真的很',
          '特',
          '贼',
        ],
        ['满意'],
        ['', '了', '啦'],
      ),
      '满意极了',
      '百分百满意',
      '五星好评',
      '五星',
      '5星',
      '好评好评',
      '必须好评',
      'very satisfied',
      'extremely satisfied',
      'completely satisfied',
      'totally satisfied',
      'super satisfied',
      'so satisfied',
      'really satisfied',
      'highly satisfied',
      'very very satisfied',
      'five stars',
      '5 stars',
    ],
  ],
];

/**
 * Complaints that say what is wrong ("太重", "too heavy", "容易坏"): they score like the others, but
 * they are also the comment, never dropped as a mere restatement of the answer.
 */
const SPECIFIC_COMPLAINTS = new Set([
  '太重',
  '太轻',
  '太硬',
  '太软',
  '太滑',
  '容易坏',
  '易坏',
  '容易断',
  '容易掉',
  'too heavy',
  'too light',
  'too small',
  'too big',
  'too short',
  'too hard',
  'too soft',
  'too slippery',
]);

/** Everyday praise and complaint (as in Chinese e-commerce reviews), and emoji. */
const DESCRIPTIVE_WORDS: [Level, string[]][] = [
  [
    1,
    [
      '太差了',
      '太差',
      '很差',
      '非常差',
      '特别差',
      '极差',
      '超差',
      '最差',
      '差劲',
      '太烂了',
      '很烂',
      '太烂',
      '烂透了',
      '垃圾',
      '辣鸡',
      '假货',
      '骗子',
      '骗人',
      '坑人',
      '坑爹',
      '太坑',
      '投诉',
      '很失望',
      '太失望',
      '非常失望',
      '特别失望',
      '恶心',
      '再也不买',
      '上当',
      '气死',
      '退钱',
      '什么破',
      '破玩意',
      'terrible',
      'awful',
      'horrible',
      'worst',
      'garbage',
      'trash',
      'junk',
      'rubbish',
      'useless',
      'crap',
      'hate it',
      'scam',
      'fake',
      'never again',
      'very bad',
      'very poor',
      'very disappointed',
      'so bad',
      'really bad',
      'waste of money',
      '😡',
      '😠',
      '🤬',
      '💩',
      '👎👎',
    ],
  ],
  [
    2,
    [
      '不好',
      '不好看',
      '不好玩',
      '不太好',
      '不是很好',
      '不怎么样',
      '不怎么好',
      '不行',
      '差',
      '较差',
      '比较差',
      '有点差',
      '质量差',
      '质量不好',
      '质量不行',
      '不好用',
      '难用',
      '失望',
      '有点失望',
      '后悔',
      '坏了',
      '断了',
      '裂了',
      '破了',
      '掉了',
      '开胶',
      '脱胶',
      '起泡',
      '有问题',
      '有点问题',
      '毛病',
      '退货',
      '退款',
      '换货',
      '不值',
      '不推荐',
      '不喜欢',
      '不舒服',
      '太贵',
      ...[...SPECIFIC_COMPLAINTS].filter((word) => !/^[a-z]/u.test(word)),
      '烂',
      '坑',
      '无语',
      '漏气',
      '褪色',
      '掉色',
      '变形',
      '磨损',
      '开线',
      '不耐用',
      'bad',
      'poor',
      'not good',
      'not great',
      'not happy',
      'unhappy',
      'disappointed',
      'disappointing',
      'broke',
      'broken',
      'cracked',
      'faulty',
      'defective',
      "doesn't work",
      'does not work',
      'not working',
      'stopped working',
      'problem',
      'problems',
      'issue',
      'issues',
      'complaint',
      'not recommend',
      "wouldn't recommend",
      'would not recommend',
      'regret',
      'refund',
      'return it',
      'fell apart',
      'falls apart',
      'peeling',
      'peeled',
      'too expensive',
      ...[...SPECIFIC_COMPLAINTS].filter((word) => /^[a-z]/u.test(word)),
      'overpriced',
      'not worth',
      'meh no',
      '👎',
      '🙁',
      '☹',
      '😞',
      '😕',
      '😒',
      '😢',
      '😭',
    ],
  ],
  [
    3,
    [
      '一般',
      '一般般',
      '凑合用',
      '还行',
      '还可以',
      '凑合',
      '马马虎虎',
      '普通',
      '过得去',
      '说得过去',
      '就那样',
      '将就',
      '还好',
      '中规中矩',
      '差不多',
      '不好不坏',
      '有好有坏',
      '质量一般',
      '就这样',
      '一般吧',
      'ok',
      'okay',
      'o.k',
      'so-so',
      'so so',
      'average',
      'meh',
      'mediocre',
      'alright',
      'all right',
      'neutral',
      'could be better',
      'fair',
      'not sure',
      'nothing special',
      'just ok',
      'just okay',
      '😐',
      '😑',
      '🤔',
      '🆗',
    ],
  ],
  [
    4,
    [
      '不错',
      '挺好',
      '还不错',
      '蛮好',
      '挺不错',
      '质量不错',
      '质量好',
      '喜欢',
      '挺喜欢',
      '可以',
      '没问题',
      '没什么问题',
      '值得',
      '推荐',
      '性价比高',
      '舒服',
      '顺手',
      '好看',
      '漂亮',
      '棒',
      '赞',
      '不差',
      '好用',
      '耐用',
      '结实',
      '好的',
      '挺好用',
      '很满足',
      '满足',
      '好',
      'good',
      'nice',
      'happy',
      'pleased',
      'like it',
      'fine',
      'not bad',
      'pretty good',
      'quite good',
      'satisfactory',
      'works well',
      'works great',
      'recommend',
      'thumbs up',
      'enjoy',
      'enjoying',
      'enjoyed',
      'cool',
      'decent',
      'solid',
      'no problem',
      'no problems',
      'no issues',
      'no complaints',
      'good quality',
      'well made',
      '👍',
      '👌',
      '😊',
      '🙂',
      '😀',
      '😄',
      '😁',
      '☺',
      '✅',
    ],
  ],
  [
    5,
    [
      '非常好',
      '很好',
      '太好了',
      '特别好',
      '超好',
      '好极了',
      '棒极了',
      '太棒了',
      '很棒',
      '超棒',
      '非常棒',
      '完美',
      '超赞',
      '很赞',
      '点赞',
      '赞赞',
      '给力',
      '很给力',
      '超值',
      '物超所值',
      '物美价廉',
      '强烈推荐',
      '非常推荐',
      '质量很好',
      '质量非常好',
      '质量超好',
      '质量太好了',
      '很喜欢',
      '非常喜欢',
      '特别喜欢',
      '超喜欢',
      '爱了',
      '很好用',
      '超好用',
      '非常好用',
      '满分',
      '一百分',
      '无可挑剔',
      '好极',
      '厉害',
      '杠杠的',
      '没得说',
      '好好好',
      'very good',
      'very happy',
      'very pleased',
      'excellent',
      'amazing',
      'awesome',
      'perfect',
      'outstanding',
      'fantastic',
      'love it',
      'loved it',
      'love this',
      'love the',
      'the best',
      'great',
      'wonderful',
      'brilliant',
      'superb',
      'highly recommend',
      'love',
      'loves',
      'lovely',
      'adore',
      'really good',
      'so good',
      'super good',
      'top quality',
      'gr8',
      '10/10',
      '👍👍',
      '❤',
      '😍',
      '🥰',
      '💯',
      '🔥',
      '🎉',
      '🤩',
    ],
  ],
];

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');
/** Longest alternatives first, so "不满意" wins over "满意" and "not bad" over "bad" at the same place. */
const lexicon = (entries: [Level, string[]][]) => {
  const level = new Map<string, Level>();
  for (const [l, words] of entries) for (const word of words) level.set(word.toLowerCase(), l);
  const alternatives = [...level.keys()]
    .sort((a, b) => b.length - a.length)
    .map((word) => {
      const escaped = escapeRegExp(word);
      // Latin words match whole words only ("bad" not in "badminton"); Chinese and emoji anywhere.
      if (/^[a-z]/u.test(word)) return `(?<![a-z])${escaped}(?![a-z])`;
      // Single characters that are often something else: 好 in 好久, 差 in 差点, 坑 in 坑洼.
      if (word === '好') return '(?<!\\p{Script=Han})好(?=[的啊呀哦吧啦!！。~]*$)';
      if (word === '差') return '差(?!点|不多|别|价)';
      return escaped;
    });
  return { regex: new RegExp(alternatives.join('|'), 'giu'), level };
};
const RATING = lexicon(RATING_WORDS);
const DESCRIPTIVE = lexicon(DESCRIPTIVE_WORDS);

/** Optimal string alignment distance: typos are mostly one dropped, added, changed or swapped letter. */
const distance = (a: string, b: string): number => {
  const width = b.length + 1;
  const d = new Array<number>((a.length + 1) * width).fill(0);
  const at = (i: number, j: number) => d[i * width + j] ?? 0;
  for (let i = 0; i <= a.length; i++) d[i * width] = i;
  for (let j = 0; j <= b.length; j++) d[j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, at(i - 2, j - 2) + 1);
      d[i * width + j] = best;
    }
  }
  return at(a.length, b.length);
};

/** A misspelt long word ("satisifed", "terible") reads as the lexicon word it is closest to. */
const fuzzyHits = (text: string, taken: Reading[], { level }: ReturnType<typeof lexicon>): Reading[] => {
  const vocabulary = [...level.keys()].filter((word) => /^[a-z]{7,}$/u.test(word));
  const found: Reading[] = [];
  for (const m of text.toLowerCase().matchAll(/[a-z]{7,}/gu)) {
    if (level.has(m[0]) || taken.some((t) => m.index < t.end && t.start < m.index + m[0].length)) continue;
    const limit = m[0].length >= 9 ? 2 : 1;
    const scored = vocabulary
      .map((word) => ({ word, d: distance(m[0], word) }))
      .filter((c) => c.d <= limit)
      .sort((a, b) => a.d - b.d);
    const [best, next] = scored;
    if (best && (!next || next.d > best.d))
      found.push({ level: level.get(best.word) as Level, start: m.index, end: m.index + m[0].length });
  }
  return found;
};

/** A negation right before a praise or complaint word turns it round: "not really happy", "不好看". */
const NEGATED_LATIN =
  /(?:\bnot|n't|\bnever|\bno longer|\bhardly|\bnothing)\s+(?:(?:really|very|so|too|that|all that|at all|quite|exactly|particularly|entirely)\s+)?$/iu;
const NEGATED_CHINESE = /(?:不|没|没有|不是|不太|不怎么|不够|并不|不大|一点都不|一点也不)$/u;
const negate = (level: Level): Level => (level >= 3 ? 2 : 4);

const hits = (text: string, entries: ReturnType<typeof lexicon>): Reading[] => {
  const lower = text.toLowerCase();
  const exact = [...lower.matchAll(entries.regex)].map((m) => ({
    level: entries.level.get(m[0]) as Level,
    start: m.index,
    end: m.index + m[0].length,
  }));
  return [...exact, ...fuzzyHits(text, exact, entries)]
    .map((hit) => {
      const before = lower.slice(Math.max(0, hit.start - 24), hit.start);
      const latin = /^[a-z]/u.test(lower.slice(hit.start));
      const negated = latin ? NEGATED_LATIN.test(before) : NEGATED_CHINESE.test(before);
      return negated && hit.level ? { ...hit, level: negate(hit.level) } : hit;
    })
    .sort((a, b) => a.start - b.start);
};

const CHINESE_DIGITS: Record<string, number> = {
  零: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
  十: 10,
};
const NUMBER = '(\\d{1,3}|[零一二两三四五六七八九十])';
const UNIT = '\\s*(分|星|颗星|stars?|points?|pts|/\\s*5|/\\s*10|out of 5|out of 10|of 5|of 10)?';
const CUE =
  "(?:(?:i\\s*(?:would|'d)?\\s*(?:give|rate|gave)(?:\\s*(?:it|you|this))?(?:\\s*an?)?|my (?:answer|rating|score) is|rating|score|answer|评分|打分|评|给|打|选|回复|答|我选|我给|我打)\\s*[:：]?\\s*)";
/** A number that answers: at the start of the reply (after a cue), e.g. "2", "(1)", "给5分", "I'd give it a 4". */
const LEADING_NUMBER = new RegExp(
  `^[(\\[（【]?\\s*${CUE}?${NUMBER}\\s*[)\\]）】]?${UNIT}(?!\\d|\\.\\d)`,
  'iu',
);
/** A rating further in: it needs a cue before or a unit after ("质量不错，给5分", "4 stars"). */
const INNER_NUMBER = new RegExp(
  `(?:${CUE}${NUMBER}${UNIT}|${NUMBER}\\s*(分|星|颗星|stars?|/\\s*5|/\\s*10|out of 5|out of 10))(?!\\d)`,
  'giu',
);
const STARS = /^[⭐★🌟✩☆]+/u;
/** "1 or 2", "1/2", "4-5": a second number right after the first means no choice was made. */
const SECOND_CHOICE = /^\s*(?:or|and|\/|,|、|或|还是|和|-|~|到|至)\s*\d/iu;
/** "1 2": nothing but a second number after the first is both answers too. */
const SECOND_NUMBER = /^\s+(\d{1,2})[\s.。!！]*$/u;
/** A number in words that is the whole reply ("one", "Two."). */
const SPELLED: Record<string, number> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
};
/** An answer given last, after the comment and a sentence break ("Great paddle! 1", "拍子很好用。2"). */
const TRAILING_NUMBER = /[,，。.!！?？;；]\s*(\d{1,2})\s*$/u;

const unitOf = (unit: string | undefined): 5 | 10 | undefined => {
  if (!unit) return undefined;
  if (/10/u.test(unit)) return 10;
  if (/5|星|star/iu.test(unit)) return 5;
  return undefined; // 分, points: out of what the survey asked
};
const toNumber = (digits: string) => CHINESE_DIGITS[digits] ?? Number(digits);

const numberReading = (digits: string, unit: string | undefined, start: number, end: number): Reading => {
  const of = unitOf(unit);
  const n = toNumber(digits);
  return { value: { n, of: of ?? 'native' }, start, end, ...(unit && !of ? { pointsUnit: true } : {}) };
};

const CONTRAST = /但是|但|可是|不过|就是|只是|然而|\bbut\b|\bhowever\b|\bthough\b|\byet\b/giu;

/**
 * "满意，但是质量太差", "Satisfied but the handle broke": a complaint after a "but" that follows a
 * satisfied answer outweighs it (a complaint outweighs praise, as below).
 */
const complaintAfterContrast = (text: string, answer: Reading): Reading | undefined => {
  if ((answer.level ?? 3) <= 2) return undefined;
  const contrast = [...text.toLowerCase().matchAll(CONTRAST)].find((c) => c.index >= answer.end);
  if (!contrast) return undefined;
  const from = contrast.index + contrast[0].length;
  return [...hits(text, RATING), ...hits(text, DESCRIPTIVE)]
    .filter((r) => r.start >= from && (r.level ?? 3) <= 2)
    .sort((a, b) => a.start - b.start)[0];
};

/** Praise and complaint: after the last "but" when it has any, and a complaint outweighs praise. */
const pickDescriptive = (text: string, found: Reading[]): Reading | undefined => {
  if (found.length === 0) return undefined;
  const contrasts = [...text.toLowerCase().matchAll(CONTRAST)];
  const last = contrasts.at(-1);
  const after = last ? found.filter((r) => r.start >= (last.index ?? 0) + last[0].length) : [];
  const pool = after.length > 0 ? after : found;
  return pool.find((r) => (r.level ?? 3) <= 2) ?? pool[0];
};

const scoreOfLevel = (level: Level): Score =>
  level >= 4 ? 'satisfied' : level === 3 ? 'neutral' : 'unsatisfied';

export const scoreOfRating = (scale: SurveyScale, rating: number): Score => {
  if (scale === 'binary') return rating === 1 ? 'satisfied' : 'unsatisfied';
  if (scale === 'csat5') return rating >= 4 ? 'satisfied' : rating === 3 ? 'neutral' : 'unsatisfied';
  return rating >= 9 ? 'satisfied' : rating >= 7 ? 'neutral' : 'unsatisfied';
};

const RANGE: Record<SurveyScale, [number, number]> = { binary: [1, 2], csat5: [1, 5], nps: [0, 10] };

type Rated = { score: Score; rating?: number } | { unclear: 'ambiguous' | 'out-of-range' };

/** What a reading means on the survey's scale; words give a score, and a rating on csat5. */
const rate = (scale: SurveyScale, reading: Reading & { pointsUnit?: boolean }): Rated => {
  if (reading.level !== undefined) {
    return scale === 'csat5'
      ? { score: scoreOfLevel(reading.level), rating: reading.level }
      : { score: scoreOfLevel(reading.level) };
  }
  const { n, of } = reading.value as NonNullable<Reading['value']>;
  const [min, max] = RANGE[scale];
  const native = of === 'native' || (of === 5 && scale === 'csat5') || (of === 10 && scale === 'nps');
  if (native) {
    // A yes/no survey has no rating: 1 and 2 are choices, not points.
    if (n >= min && n <= max)
      return scale === 'binary'
        ? { score: scoreOfRating(scale, n) }
        : { score: scoreOfRating(scale, n), rating: n };
    // "4分" on a yes/no survey: read as points out of 5 (or 10 above 5).
    if (reading.pointsUnit && scale === 'binary' && n >= 0 && n <= 10)
      return { score: scoreOfLevel((n <= 5 ? Math.max(1, n) : Math.ceil(n / 2)) as Level) };
    const digits = String(n).split('').map(Number);
    // "12" on a 1/2 question is both answers; on a 0–10 question "15" is simply out of range.
    const allInRange = max < 10 && digits.length > 1 && digits.every((d) => d >= min && d <= max);
    return { unclear: allInRange ? 'ambiguous' : 'out-of-range' };
  }
  // A number on another scale than asked: its level gives the score (and a csat5 rating).
  if ((of === 5 && (n < 1 || n > 5)) || (of === 10 && (n < 0 || n > 10))) return { unclear: 'out-of-range' };
  const level = (of === 5 ? n : Math.max(1, Math.ceil(n / 2))) as Level;
  return rate(scale, { level, start: reading.start, end: reading.end });
};

// ---------------------------------------------------------------------------------------------
// Comments

/** What may stand before the answer in a whole sentence ("我觉得很满意", "I'm satisfied"). */
const SUBJECT =
  /^(?:(?:我们|我|本人|我觉得|我感觉|感觉|觉得|个人觉得|总体|总的来说|整体|说实话|老实说|目前|暂时|用着|用起来|i am|i'm|im|we are|it is|it's|its|this is|really|overall|honestly|so far)\s*)*$/iu;
/** A comment that only restates the answer or is a lone particle says nothing more. */
const NOTHING_MORE = /^(?:的|了|吧|啊|呀|哦|啦|呢|嘛|哈+|lol|谢谢|thanks|not|no|never|不|没)?$/iu;

const CLAUSE_BREAK = /([,，。.!！?？;；\n、~～…]+)/u;
const cleanComment = (text: string) =>
  text
    .replace(/^[的了啦呀吧哦啊]*(?:[\s,.;:!?，。、；：！？\-–—~～)）\]】]+|$)/u, '')
    .replace(/[\s,.;:，。、；：~～…\-–—(（[【]+$/u, '')
    .replace(/[!！?？]+$/u, (marks) => (text.replace(/[!！?？]+$/u, '').trim() ? marks : ''))
    .trim();

const isKeywordsOnly = (text: string) => {
  const core = trimEdges(text);
  return WHOLE_KEYWORDS.test(core) && HAS_KEYWORD.test(core);
};
/** Nothing but an answer: rating, praise or complaint words, digits, emoji ("不满意", "very good"). */
const isBareAnswer = (text: string) =>
  (hits(text, RATING).length > 0 || hits(text, DESCRIPTIVE).length > 0 || /\d/u.test(text)) &&
  trimEdges(
    text
      .toLowerCase()
      .replace(RATING.regex, ' ')
      .replace(DESCRIPTIVE.regex, ' ')
      .replace(PICTOGRAPHS, ' ')
      .replace(/\d+/gu, ' '),
  ).replace(/\s+/gu, '') === '';

/**
 * "满意 TD", "不满意 STOP", "TD 不满意": an answer and opt-out keywords with only a space between
 * them. Returns the answer. Keywords inside a comment ("the grip broke at the end") are not split
 * off, since the rest is then more than an answer.
 */
const answerBesideKeywords = (clause: string): string | undefined => {
  // Chinese runs into Latin letters without a space ("满意TD", "TD不满意"): split there too.
  const spaced = clause.replace(/(\p{Script=Han})(?=[a-z])|([a-z])(?=\p{Script=Han})/giu, '$1$2 ');
  const words = spaced.trim().split(/\s+/u);
  for (let k = 1; k < words.length; k++) {
    const head = words.slice(0, k).join(' ');
    const tail = words.slice(k).join(' ');
    if (isKeywordsOnly(tail) && isBareAnswer(head)) return head;
    if (isKeywordsOnly(head) && isBareAnswer(tail)) return tail;
  }
  return undefined;
};

/** Splits off the clauses that ask to stop; the rest is what the customer said about the product. */
const splitOptOut = (text: string): { optOut: boolean; rest: string } => {
  const parts = text.split(CLAUSE_BREAK);
  let optOut = false;
  const kept: string[] = [];
  for (let i = 0; i < parts.length; i += 2) {
    const clause = parts[i] ?? '';
    const separator = parts[i + 1] ?? '';
    const answer = isOptOutClause(clause) ? '' : answerBesideKeywords(clause);
    if (answer === undefined) kept.push(clause + separator);
    else {
      optOut = true;
      if (answer) kept.push(answer + separator);
    }
  }
  return { optOut, rest: kept.join('').trim() };
};

const withoutOptOutWords = (text: string) =>
  REQUESTS.reduce((rest, request) => rest.replace(new RegExp(request.source, 'giu'), ' '), text).replace(
    new RegExp(`(?<![a-z])(?:${KEYWORDS})(?![a-z])`, 'giu'),
    ' ',
  );

const hasAnswer = (text: string) =>
  hits(text, RATING).length > 0 || hits(text, DESCRIPTIVE).length > 0 || /\d/u.test(text);

// ---------------------------------------------------------------------------------------------

export const parseReply = (raw: string, scale: SurveyScale = 'binary'): ParsedReply => {
  const text = normaliseReply(raw);
  const core = trimEdges(text);
  if (!core) return { kind: 'unclear', reason: 'empty' };
  if (OPT_IN.test(core)) return { kind: 'opt-in' };
  if (HELP.test(core) || HELP.test(text)) return { kind: 'help' };
  const spelled = SPELLED[core.toLowerCase()];
  if (spelled !== undefined) return parseReply(String(spelled), scale);

  let optOut = false;
  let body = text;
  const strong = STRONG_FIRST.exec(core);
  if (strong) {
    optOut = true;
    body = trimEdges(core.slice(strong[0].length));
  }

  // The leading answer: a number, stars, or a rating/praise word at the very start.
  let reading: (Reading & { pointsUnit?: boolean }) | undefined;
  const leadingOffset = body.length - body.replace(/^[\s(（【[]+/u, '').length;
  const number = LEADING_NUMBER.exec(body);
  const stars = STARS.exec(body.slice(leadingOffset));
  // A Chinese numeral answers only with a unit ("五星", "四分"): 一 alone begins 一般, 一直, ….
  if (number && !(/^[零一二两三四五六七八九十]$/u.test(number[1] ?? '') && !number[2])) {
    reading = numberReading(number[1] ?? '', number[2], 0, number[0].length);
    const after = body.slice(number[0].length);
    const second = SECOND_NUMBER.exec(after)?.[1];
    const [min, max] = RANGE[scale];
    if (SECOND_CHOICE.test(after) || (second !== undefined && Number(second) >= min && Number(second) <= max))
      return { kind: 'unclear', reason: 'ambiguous' };
  } else if (stars) {
    const count = Math.min(5, Array.from(stars[0]).filter((c) => c !== '☆' && c !== '✩').length) as Level;
    reading = { value: { n: count, of: 5 }, start: 0, end: leadingOffset + stars[0].length };
  }

  const leading = reading ? body.slice(reading.end) : body;
  const split = splitOptOut(leading);
  optOut ||= split.optOut;
  let remaining = split.rest;
  // "满意 退订": the clause that asks to stop may also hold the answer; read it without the request.
  if (!reading && split.optOut && !hasAnswer(remaining)) remaining = trimEdges(withoutOptOutWords(leading));

  let comment: string;
  if (reading) {
    comment = remaining;
  } else {
    const inner = [...remaining.matchAll(INNER_NUMBER)].map((m) =>
      numberReading(m[1] ?? m[3] ?? '', m[2] ?? m[4], m.index, m.index + m[0].length),
    );
    const explicit = hits(remaining, RATING);
    const trailing = TRAILING_NUMBER.exec(remaining);
    const [min, max] = RANGE[scale];
    const last =
      trailing && Number(trailing[1]) >= min && Number(trailing[1]) <= max
        ? numberReading(trailing[1] ?? '', undefined, trailing.index + 1, remaining.length)
        : undefined;
    // A number with its unit ("满意度5分") is more precise than the rating words around it, and so
    // is a bare number given last; a complaint after "but" outweighs the rating word before it.
    const chosen =
      inner[0] ??
      last ??
      (explicit[0] && (complaintAfterContrast(remaining, explicit[0]) ?? explicit[0])) ??
      pickDescriptive(remaining, hits(remaining, DESCRIPTIVE));
    reading = chosen;
    // A word at the very start is the answer itself; anywhere else the whole text is the comment.
    const atStart =
      chosen &&
      SUBJECT.test(trimEdges(remaining.slice(0, chosen.start))) &&
      !SPECIFIC_COMPLAINTS.has(remaining.slice(chosen.start, chosen.end).toLowerCase());
    comment =
      chosen === last && last
        ? remaining.slice(0, last.start)
        : chosen && atStart
          ? remaining.slice(chosen.end)
          : remaining;
  }

  if (!reading) return optOut ? { kind: 'opt-out' } : { kind: 'unclear', reason: 'unrecognised' };
  const rated = rate(scale, reading);
  if ('unclear' in rated) return optOut ? { kind: 'opt-out' } : { kind: 'unclear', reason: rated.unclear };
  let cleaned = cleanComment(comment);
  // Only answer words, emoji and particles ("不错不错", "满意👍"): nothing more to pass on.
  const restated = trimEdges(
    cleaned
      .toLowerCase()
      .replace(RATING.regex, ' ')
      .replace(DESCRIPTIVE.regex, (word) => (SPECIFIC_COMPLAINTS.has(word) ? word : ' '))
      .replace(PICTOGRAPHS, ' '),
  ).replace(/[\s,，、。!！]+/gu, '');
  if (NOTHING_MORE.test(restated) && !/^(?:thanks|谢谢)$/u.test(restated)) cleaned = '';
  return {
    kind: 'score',
    score: rated.score,
    ...(rated.rating !== undefined ? { rating: rated.rating } : {}),
    ...(cleaned ? { comment: cleaned } : {}),
    optOut,
  };
};
