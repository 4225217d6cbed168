import {
  Campaign,
  CampaignInput,
  CampaignListQuery,
  CampaignPatch,
  CampaignStats,
} from '../../domain/campaign.ts';
import { CampaignReport, CampaignReportQuery } from '../../domain/campaign-report.ts';
import { page } from '../../domain/common.ts';
import { ActivatedCampaign, ActivateRequest } from '../../domain/import.ts';
import { Message, MessageListQuery } from '../../domain/message.ts';
import { defineRoute, type RouteSpec } from '../route-spec.ts';

import { campaignManagers, IdParams, messageReaders } from './common.ts';

/** The campaigns function's routes. */
export const campaignsSpecs = {
  createCampaign: defineRoute({
    method: 'POST',
    path: '/campaigns',
    group: 'campaigns',
    operationId: 'createCampaign',
    summary: 'Create a lifecycle or broadcast campaign (in draft)',
    roles: campaignManagers,
    body: CampaignInput,
    success: { status: 201, schema: Campaign, description: 'The created campaign' },
  }),
  listCampaigns: defineRoute({
    method: 'GET',
    path: '/campaigns',
    group: 'campaigns',
    operationId: 'listCampaigns',
    summary: 'List campaigns',
    roles: campaignManagers,
    query: CampaignListQuery,
    success: { status: 200, schema: page(Campaign), description: 'A page of campaigns' },
  }),
  getCampaign: defineRoute({
    method: 'GET',
    path: '/campaigns/{id}',
    group: 'campaigns',
    operationId: 'getCampaign',
    summary: 'Get a campaign',
    roles: campaignManagers,
    params: IdParams,
    success: { status: 200, schema: Campaign, description: 'The campaign' },
  }),
  updateCampaign: defineRoute({
    method: 'PATCH',
    path: '/campaigns/{id}',
    group: 'campaigns',
    operationId: 'updateCampaign',
    summary: 'Change a campaign',
    roles: campaignManagers,
    params: IdParams,
    body: CampaignPatch,
    conditional: true,
    success: { status: 200, schema: Campaign, description: 'The updated campaign' },
  }),
  deleteCampaign: defineRoute({
    method: 'DELETE',
    path: '/campaigns/{id}',
    group: 'campaigns',
    operationId: 'deleteCampaign',
    summary: 'Delete a campaign; its pending touchpoints are suppressed when they fire',
    roles: campaignManagers,
    params: IdParams,
    success: { status: 204, description: 'Deleted' },
  }),
  activateCampaign: defineRoute({
    method: 'POST',
    path: '/campaigns/{id}/activate',
    group: 'campaigns',
    operationId: 'activateCampaign',
    summary:
      'Start the campaign: purchases from now on plan touchpoints (and, with backfill, purchases since a date); a broadcast gets its schedule',
    roles: campaignManagers,
    params: IdParams,
    body: ActivateRequest,
    bodyOptional: true,
    success: {
      status: 200,
      schema: ActivatedCampaign,
      description: 'The active campaign, with how many touchpoints a backfill planned',
    },
  }),
  pauseCampaign: defineRoute({
    method: 'POST',
    path: '/campaigns/{id}/pause',
    group: 'campaigns',
    operationId: 'pauseCampaign',
    summary: 'Pause the campaign: touchpoints that fire while paused are suppressed',
    roles: campaignManagers,
    params: IdParams,
    success: { status: 200, schema: Campaign, description: 'The paused campaign' },
  }),
  campaignStats: defineRoute({
    method: 'GET',
    path: '/campaigns/{id}/stats',
    group: 'campaigns',
    operationId: 'campaignStats',
    summary: 'Scheduled, sent, suppressed and failed messages, surveys and replies',
    roles: campaignManagers,
    params: IdParams,
    success: { status: 200, schema: CampaignStats, description: 'The counters' },
  }),
  campaignReport: defineRoute({
    method: 'GET',
    path: '/campaigns/{id}/report',
    group: 'campaigns',
    operationId: 'campaignReport',
    summary:
      'Effectiveness: sent vs held out, conversions, revenue, uplift with its 95% interval, per variant and over time',
    roles: campaignManagers,
    params: IdParams,
    query: CampaignReportQuery,
    success: { status: 200, schema: CampaignReport, description: 'The report, read from counters' },
  }),
  listMessages: defineRoute({
    method: 'GET',
    path: '/messages',
    group: 'campaigns',
    operationId: 'listMessages',
    summary: 'Messages sent, suppressed or failed, by customer or campaign, newest first',
    roles: messageReaders,
    query: MessageListQuery,
    success: { status: 200, schema: page(Message), description: 'A page of messages' },
  }),
} satisfies Record<string, RouteSpec>;
