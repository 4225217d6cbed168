import type { DynamoDBStreamEvent } from 'aws-lambda';
import { publishChanges } from '../../shared/adapters/dynamodb/publish-changes.ts';
import { awsEvents } from '../../shared/composition/aws-capabilities.ts';
import { functionConfig } from '../../shared/config.ts';
import { createEventHandler } from '../../shared/events/handler.ts';
import type { CrmDependencies } from '../../shared/ports/dependencies.ts';

export const publishChangesHandler = (makeDeps: () => Pick<CrmDependencies, 'events'>) =>
  createEventHandler(makeDeps, (deps, event: DynamoDBStreamEvent) => publishChanges(deps, event.Records));

// Reads the stream (granted by the event source mapping) and writes the bus; it never touches the table itself.
export const handler = publishChangesHandler(() => ({
  events: awsEvents(functionConfig(['events'])),
}));
