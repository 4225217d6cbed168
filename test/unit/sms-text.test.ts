import { describe, expect, it } from 'vitest';
import { optOutFooter, replyNotice, smsBody, surveyQuestion } from '../../shared/domain/sms-text.ts';

describe('SMS texts in the customer language', () => {
  it('asks each scale its own question, in Chinese for zh locales', () => {
    expect(surveyQuestion('binary', 'en-GB')).toBe('Reply 1 if satisfied, 2 if unsatisfied.');
    expect(surveyQuestion('binary', 'zh-CN')).toBe('满意请回复1，不满意请回复2。');
    expect(surveyQuestion('csat5', 'zh-Hans-CN')).toContain('1-5');
    expect(surveyQuestion('nps', undefined)).toContain('0 to 10');
  });

  it('ends marketing with the opt-out instruction once, and leaves surveys without it', () => {
    expect(optOutFooter('zh-CN')).toBe('拒收请回复R');
    expect(smsBody('双十一球拍八折', undefined, 'zh-CN')).toBe('双十一球拍八折 拒收请回复R');
    expect(smsBody('Paddles 20% off', undefined, 'en')).toBe('Paddles 20% off Reply STOP to opt out');
    expect(smsBody('Sale! Reply STOP to opt out', undefined, 'en')).toBe('Sale! Reply STOP to opt out');
    expect(smsBody('球拍好用吗？', 'binary', 'zh-CN')).toBe('球拍好用吗？ 满意请回复1，不满意请回复2。');
    expect(smsBody('Rate us 1 to 5', 'csat5', 'en')).toBe('Rate us 1 to 5');
  });

  it('repeats the question when a reply could not be read', () => {
    expect(replyNotice('clarify', 'zh-CN', 'nps')).toContain('0-10');
    expect(replyNotice('optedOut', 'en')).toContain('START');
  });
});
