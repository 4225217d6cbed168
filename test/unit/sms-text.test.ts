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

  it('asks the question unless the text itself asks for the answers, not when a name holds the digits', () => {
    expect(smsBody('Room 15, how was your Shuttle?', 'csat5', 'en')).toBe(
      'Room 15, how was your Shuttle? Reply 1 to 5 (5 = very satisfied, 1 = very unsatisfied).',
    );
    expect(smsBody('Team 10, how was your Shoe?', 'nps', 'en')).toContain('Reply 0 to 10');
    expect(smsBody('Cust 12, how is your paddle?', 'binary', 'en')).toContain('Reply 1 if satisfied');
    expect(smsBody('Order 1 of 2 arrived. Happy?', 'binary', 'en')).toContain('Reply 1 if satisfied');
    expect(smsBody('Li Lei，球拍好用吗？满意回复1，不满意回复2', 'binary', 'zh-CN')).toBe(
      'Li Lei，球拍好用吗？满意回复1，不满意回复2',
    );
    expect(smsBody('How likely are you to recommend us? Answer 0-10', 'nps', 'en')).toBe(
      'How likely are you to recommend us? Answer 0-10',
    );
  });

  it('repeats the question when a reply could not be read', () => {
    expect(replyNotice('clarify', 'zh-CN', 'nps')).toContain('0-10');
    expect(replyNotice('optedOut', 'en')).toContain('START');
  });
});
