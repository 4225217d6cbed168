import type { DynamoDBStreamEvent } from 'aws-lambda';
import { tallyCampaigns } from '../../shared/adapters/dynamodb/tally-campaigns.ts';
import { awsDependencies } from '../../shared/composition/aws.ts';
import { createEventHandler } from '../../shared/events/handler.ts';
import type { CrmDependencies } from '../../shared/ports/dependencies.ts';

/**
 * The table stream's second consumer (only touchpoint, message and survey records reach it, by the
 * event source's filter): campaign counters. An error fails the batch, which the stream retries;
 * records already counted are skipped.
 */
export const tallyCampaignsHandler = (
  makeDeps: () => Pick<
    CrmDependencies,
    'tallies' | 'clock' | 'campaigns' | 'purchases' | 'exposures' | 'settings' | 'repeatPurchases'
  >,
) => createEventHandler(makeDeps, (deps, event: DynamoDBStreamEvent) => tallyCampaigns(deps, event.Records));

export const handler = tallyCampaignsHandler(awsDependencies());
