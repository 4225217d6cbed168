import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Survey } from '../../domain/survey.ts';
import { keys } from './keys.ts';

type TransactItems = NonNullable<TransactWriteCommandInput['TransactItems']>;

/** The items that open a survey; written in the same transaction as the SMS's ledger entry. */
export const surveyOpeningItems = (tableName: string, survey: Survey): TransactItems => [
  {
    Put: {
      TableName: tableName,
      Item: {
        ...keys.survey(survey.id),
        ...keys.surveysOfPhone(survey.phone, survey.sentAt, survey.id),
        entityType: 'survey',
        ...survey,
      },
    },
  },
  {
    Put: {
      TableName: tableName,
      Item: { ...keys.surveyByMessage(survey.providerMessageId), surveyId: survey.id },
    },
  },
];
