import { describe, expect, it } from 'vitest';
import { finalSms, surveyScaleOf, surveySettingOf } from '../../console/src/survey.ts';

describe('the console survey setting and SMS preview', () => {
  it('maps the editor choice to the API setting and back', () => {
    expect(surveySettingOf(undefined)).toBe(false);
    expect(surveySettingOf('binary')).toBe(true);
    expect(surveySettingOf('csat5')).toEqual({ scale: 'csat5' });
    expect(surveySettingOf('nps')).toEqual({ scale: 'nps' });
    for (const scale of ['binary', 'csat5', 'nps'] as const)
      expect(surveyScaleOf(surveySettingOf(scale))).toBe(scale);
    expect(surveyScaleOf(false)).toBeUndefined();
  });

  it('appends the question of the scale, or the opt-out line, in the customer language', () => {
    expect(finalSms('How was it?', 'nps', 'en')).toBe(
      'How was it? How likely are you to recommend us to a friend? Reply 0 to 10 (10 = extremely likely).',
    );
    expect(finalSms('满意吗？', 'csat5', 'zh-CN')).toBe(
      '满意吗？ 请回复1-5分评价（5分非常满意，1分非常不满意）。',
    );
    expect(finalSms('New paddles in store', undefined, 'en')).toBe(
      'New paddles in store Reply STOP to opt out',
    );
  });
});
