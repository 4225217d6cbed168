import {
  type Campaign,
  type CampaignInput,
  type CampaignPatch,
  type CampaignStats,
  campaignIssues,
} from '../domain/campaign.ts';
import type { Page } from '../domain/common.ts';
import { contentProblems } from '../domain/compose-message.ts';
import { ConflictError, NotFoundError, ValidationError } from '../domain/errors.ts';
import type { CrmDependencies } from '../ports/dependencies.ts';
import type { PageRequest } from '../ports/repositories.ts';
import { SCHEDULED_TIME } from '../ports/scheduler.ts';
import { mergePatch } from './merge-patch.ts';
import { updateVersioned } from './versioned-update.ts';

type Deps = Pick<CrmDependencies, 'campaigns' | 'scheduler' | 'clock' | 'ids'>;

const validate = (campaign: Parameters<typeof campaignIssues>[0], now: Date) => {
  const issues = campaignIssues(campaign, now);
  if (issues.length > 0) {
    const errors = issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
    throw new ValidationError(errors, errors.map((e) => `${e.path}: ${e.message}`).join('; '));
  }
};

/** Templates must render for a sample customer, product and purchase, within the channel's limits. */
const checkContent = async (campaign: Parameters<typeof contentProblems>[0]) => {
  const problems = await contentProblems(campaign);
  if (problems.length > 0) {
    throw new ValidationError(problems, problems.map((p) => `${p.path}: ${p.message}`).join('; '));
  }
};

export const broadcastScheduleName = (campaignId: string) => `bc-${campaignId}`;

export const createCampaign = async (deps: Deps, input: CampaignInput): Promise<Campaign> => {
  const now = deps.clock.now();
  validate(input, now);
  await checkContent(input);
  const campaign: Campaign = {
    ...input,
    id: deps.ids.next(),
    status: 'draft',
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    version: 1,
  };
  await deps.campaigns.create(campaign);
  return campaign;
};

export const getCampaign = async (deps: Pick<Deps, 'campaigns'>, id: string): Promise<Campaign> => {
  const campaign = await deps.campaigns.get(id);
  if (!campaign) throw new NotFoundError(`Campaign ${id}`);
  return campaign;
};

export const listCampaigns = (
  deps: Pick<Deps, 'campaigns'>,
  query: PageRequest & { status?: string | undefined },
): Promise<Page<Campaign>> => deps.campaigns.list({ status: query.status }, query);

export const updateCampaign = async (
  deps: Deps,
  id: string,
  patch: CampaignPatch,
  expectedVersion: number | undefined,
) => {
  if (patch.message || patch.variants || patch.name)
    await checkContent(mergePatch(await getCampaign(deps, id), patch));
  return updateVersioned({
    load: () => getCampaign(deps, id),
    change: (current) => {
      if (current.kind === 'broadcast' && current.status === 'active' && patch.schedule) {
        throw new ConflictError('Pause the broadcast before changing its schedule.');
      }
      const next = mergePatch(current, patch);
      validate(next, deps.clock.now());
      return next;
    },
    save: (current, next) => deps.campaigns.replace(current, next),
    expectedVersion,
    now: () => deps.clock.now().toISOString(),
  });
};

const setStatus = (deps: Deps, id: string, status: Campaign['status']) =>
  updateVersioned({
    load: () => getCampaign(deps, id),
    change: (current) => ({ ...current, status }),
    save: (current, next) => deps.campaigns.replace(current, next),
    expectedVersion: undefined,
    now: () => deps.clock.now().toISOString(),
  });

/**
 * Activating a lifecycle campaign makes purchases from now on plan its touchpoints; activating a
 * broadcast creates its schedule (at or cron). Both are safe to repeat.
 */
export const activateCampaign = async (deps: Deps, id: string): Promise<Campaign> => {
  const campaign = await getCampaign(deps, id);
  if (campaign.kind === 'broadcast' && campaign.schedule) {
    if ('at' in campaign.schedule && Date.parse(campaign.schedule.at) <= deps.clock.now().getTime()) {
      throw ValidationError.field('schedule.at', 'is in the past; change it before activating');
    }
    const common = {
      name: broadcastScheduleName(campaign.id),
      target: 'run-broadcast' as const,
      payload: { campaignId: campaign.id, occurrence: SCHEDULED_TIME },
    };
    // The schedule is made from the campaign as it is now: one left from before a pause is replaced.
    await deps.scheduler.delete(common.name);
    if ('at' in campaign.schedule) {
      await deps.scheduler.createOnce({
        ...common,
        at: new Date(campaign.schedule.at).toISOString().slice(0, 19),
        timezone: 'UTC',
      });
    } else {
      await deps.scheduler.createRecurring({
        ...common,
        cron: campaign.schedule.cron,
        timezone: campaign.schedule.timezone,
      });
    }
  }
  return campaign.status === 'active' ? campaign : setStatus(deps, id, 'active');
};

/**
 * Pausing stops delivery at once: every touchpoint and broadcast run checks the status when it
 * fires. A broadcast's schedule is deleted too, so a schedule changed while paused is the one that
 * fires after the next activation.
 */
export const pauseCampaign = async (deps: Deps, id: string): Promise<Campaign> => {
  const campaign = await getCampaign(deps, id);
  if (campaign.kind === 'broadcast') await deps.scheduler.delete(broadcastScheduleName(id));
  return campaign.status === 'paused' ? campaign : setStatus(deps, id, 'paused');
};

/** Deleting a lifecycle campaign cancels its pending touchpoints through campaign.deleted (replanCampaign). */
export const deleteCampaign = async (deps: Deps, id: string): Promise<void> => {
  const campaign = await getCampaign(deps, id);
  if (campaign.kind === 'broadcast') await deps.scheduler.delete(broadcastScheduleName(id));
  await deps.campaigns.delete(id);
};

export const campaignStats = async (deps: Pick<Deps, 'campaigns'>, id: string): Promise<CampaignStats> => {
  await getCampaign(deps, id);
  return deps.campaigns.stats(id);
};
