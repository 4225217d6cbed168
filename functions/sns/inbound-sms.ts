import type { SNSEvent } from 'aws-lambda';
import { awsDependencies } from '../../shared/composition/aws.ts';
import { awsSms } from '../../shared/composition/aws-capabilities.ts';
import { InboundSms } from '../../shared/domain/survey.ts';
import { createEventHandler } from '../../shared/events/handler.ts';
import { logger } from '../../shared/observability.ts';
import type { CrmDependencies } from '../../shared/ports/dependencies.ts';
import { handleInboundSms } from '../../shared/use-cases/inbound-sms.ts';

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/** SNS delivers the End User Messaging two-way payload as the message of each record. */
export const inboundSmsHandler = (makeDeps: () => CrmDependencies) =>
  createEventHandler(makeDeps, async (deps, event: SNSEvent) => {
    const outcomes = [];
    for (const record of event.Records) {
      const parsed = InboundSms.safeParse(parseJson(record.Sns.Message));
      if (!parsed.success) {
        // A payload we cannot read will not improve on retry; log it rather than loop on it.
        logger.error('unreadable inbound SMS payload', {
          messageId: record.Sns.MessageId,
          issues: parsed.error.issues,
        });
        continue;
      }
      outcomes.push(await handleInboundSms(deps, parsed.data));
    }
    return outcomes;
  });

export const handler = inboundSmsHandler(awsDependencies({ sms: awsSms }));
