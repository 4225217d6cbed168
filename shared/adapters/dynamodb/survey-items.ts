import type { Survey } from '../../domain/survey.ts';
import { keys } from './keys.ts';

/**
 * The one item that opens a survey. It carries the provider's message id, so a reply that names
 * it is matched within the phone's surveys (gsi1); no separate lookup item is written.
 */
export const surveyItem = (survey: Survey) => ({
  ...keys.survey(survey.id),
  ...keys.surveysOfPhone(survey.phone, survey.sentAt, survey.id),
  entityType: 'survey',
  ...survey,
});
