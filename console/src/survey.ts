// The SMS texts are the server's own module (pure strings, no Node APIs), so the preview shows the
// exact question and opt-out line the customer will get.
import { smsBody } from '../../shared/domain/sms-text.ts';

export type SurveyScale = 'binary' | 'csat5' | 'nps';
export const surveyScales: readonly SurveyScale[] = ['binary', 'csat5', 'nps'];
export type SurveySetting = boolean | { scale: SurveyScale };

/** `survey: true` is the 1/2 question; `{ scale }` picks another; false asks nothing. */
export const surveyScaleOf = (survey: SurveySetting | undefined): SurveyScale | undefined =>
  survey === true ? 'binary' : survey ? survey.scale : undefined;

export const surveySettingOf = (scale: SurveyScale | undefined): SurveySetting =>
  scale === undefined ? false : scale === 'binary' ? true : { scale };

/** The SMS as sent: the survey question or, on marketing, the opt-out line, in the customer's language. */
export const finalSms = (body: string, scale: SurveyScale | undefined, locale: string | undefined) =>
  smsBody(body, scale, locale);
