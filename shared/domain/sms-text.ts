import type { SurveyScale } from './reply-parser.ts';

/**
 * The fixed texts of the SMS channel, in the customer's language: the survey question, the opt-out
 * footer on marketing SMS, and the answers to STOP, START, HELP and unreadable replies. Chinese for
 * a zh* locale, English otherwise. Pure.
 */
export type SmsLanguage = 'zh' | 'en';
export const languageOf = (locale: string | undefined): SmsLanguage =>
  locale?.toLowerCase().startsWith('zh') ? 'zh' : 'en';

const QUESTIONS: Record<SurveyScale, Record<SmsLanguage, string>> = {
  binary: {
    en: 'Reply 1 if satisfied, 2 if unsatisfied.',
    zh: '满意请回复1，不满意请回复2。',
  },
  csat5: {
    en: 'Reply 1 to 5 (5 = very satisfied, 1 = very unsatisfied).',
    zh: '请回复1-5分评价（5分非常满意，1分非常不满意）。',
  },
  nps: {
    en: 'How likely are you to recommend us to a friend? Reply 0 to 10 (10 = extremely likely).',
    zh: '您有多大可能向朋友推荐我们？请回复0-10分（10分为极有可能）。',
  },
};

export const surveyQuestion = (scale: SurveyScale, locale: string | undefined): string =>
  QUESTIONS[scale][languageOf(locale)];

const FOOTERS: Record<SmsLanguage, string> = { en: 'Reply STOP to opt out', zh: '拒收请回复R' };

export const optOutFooter = (locale: string | undefined): string => FOOTERS[languageOf(locale)];

/** The numbers a question's answers span, so a text that already names them is not asked twice. */
const ANSWER_RANGE: Record<SurveyScale, [string, string]> = {
  binary: ['1', '2'],
  csat5: ['1', '5'],
  nps: ['0', '10'],
};
/** Words that ask for an answer; digits alone may be a name or an address ("Room 15"). */
const ASKS = /reply|answer|rate|respond|text back|回复|回覆|评分|打分|请回/iu;
const standalone = (digits: string) => new RegExp(`(?<!\\d)${digits}(?!\\d)`, 'u');

/** Whether a survey text already asks for its answers: an asking word and both ends of the scale. */
const asksForAnswers = (text: string, scale: SurveyScale) => {
  const [low, high] = ANSWER_RANGE[scale];
  return ASKS.test(text) && standalone(low).test(text) && standalone(high).test(text);
};

/**
 * The final text of a campaign SMS: a survey says how to answer (unless its text already names the
 * answers); marketing ends with the opt-out instruction (unless it already carries one).
 */
export const smsBody = (body: string, scale: SurveyScale | undefined, locale: string | undefined): string => {
  const text = body.trim();
  if (scale) {
    return asksForAnswers(text, scale) ? text : `${text} ${surveyQuestion(scale, locale)}`;
  }
  const footer = optOutFooter(locale);
  if (text.includes(footer) || /reply stop|回复\s*(?:R|T|TD|退订)/iu.test(text)) return text;
  return `${text} ${footer}`;
};

export type ReplyNotice = 'optedOut' | 'optedIn' | 'help' | 'clarify';

const NOTICES: Record<ReplyNotice, Record<SmsLanguage, string>> = {
  optedOut: {
    en: 'You will get no more messages from us. Reply START to opt back in.',
    zh: '您已退订，将不再收到我们的营销短信。回复START可重新订阅。',
  },
  optedIn: {
    en: 'You are subscribed again. Reply STOP to opt out.',
    zh: '您已重新订阅。拒收请回复R。',
  },
  help: {
    en: 'Reply with the number the survey asked for, and add a comment if you like. Reply STOP to opt out.',
    zh: '请按短信提示回复数字，也可以附上您的意见。拒收请回复R。',
  },
  clarify: {
    en: 'Sorry, we could not read that.',
    zh: '抱歉，没能看懂您的回复。',
  },
};

/** The answer to a STOP, START, HELP or unreadable reply; a clarification repeats the question. */
export const replyNotice = (
  notice: ReplyNotice,
  locale: string | undefined,
  scale: SurveyScale = 'binary',
) => {
  const text = NOTICES[notice][languageOf(locale)];
  return notice === 'clarify' ? `${text} ${surveyQuestion(scale, locale)}` : text;
};
