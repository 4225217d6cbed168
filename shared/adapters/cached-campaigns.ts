import type { Campaign } from '../domain/campaign.ts';
import type { CampaignRepository } from '../ports/campaign-repositories.ts';
import type { Clock } from '../ports/clock.ts';

/**
 * Active lifecycle campaigns are read at most once per `ttlMs` per function instance, not once per
 * purchase (as the rules are, see ./cached-rules.ts). Writes through this same instance invalidate
 * the cache at once; an activation elsewhere shows after at most `ttlMs`. Delivery re-checks the
 * campaign's status when it fires, so a campaign paused within the window sends nothing.
 */
export const withCampaignCache = (
  repository: CampaignRepository,
  clock: Clock,
  ttlMs: number,
): CampaignRepository => {
  let cached: { campaigns: Promise<Campaign[]>; at: number } | undefined;
  const invalidate = <T>(result: T) => {
    cached = undefined;
    return result;
  };
  return {
    ...repository,
    activeLifecycle() {
      const now = clock.now().getTime();
      if (!cached || now - cached.at >= ttlMs) {
        const campaigns = repository.activeLifecycle();
        cached = { campaigns, at: now };
        campaigns.catch(() => invalidate(undefined));
      }
      return cached.campaigns;
    },
    create: async (campaign, cause) => invalidate(await repository.create(campaign, cause)),
    replace: async (previous, next, cause) => invalidate(await repository.replace(previous, next, cause)),
    delete: async (id) => invalidate(await repository.delete(id)),
  };
};
