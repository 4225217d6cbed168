import { awsDependencies } from '../../shared/composition/aws.ts';
import { createEventHandler } from '../../shared/events/handler.ts';
import type { CrmDependencies } from '../../shared/ports/dependencies.ts';
import { handleSesFeedback, type SesFeedbackEvent } from '../../shared/use-cases/ses-feedback.ts';

export const sesFeedbackHandler = (makeDeps: () => CrmDependencies) =>
  createEventHandler(makeDeps, (deps, event: SesFeedbackEvent) => handleSesFeedback(deps, event));

export const handler = sesFeedbackHandler(awsDependencies());
