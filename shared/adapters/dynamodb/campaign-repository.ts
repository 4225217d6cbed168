import { BatchGetCommand, type BatchGetCommandOutput } from '@aws-sdk/lib-dynamodb';
import type { Campaign, CampaignCounter, CampaignStats } from '../../domain/campaign.ts';
import type { CampaignRepository } from '../../ports/campaign-repositories.ts';
import { queryAll } from './cursor.ts';
import { entityStore } from './entity-store.ts';
import { keys, STATS_SHARDS } from './keys.ts';
import { type Table, toEntity } from './table.ts';

const COUNTERS: CampaignCounter[] = [
  'scheduled',
  'sent',
  'suppressed',
  'failed',
  'holdout',
  'surveys',
  'replies',
  'satisfied',
  'neutral',
  'unsatisfied',
];

export const dynamoCampaignRepository = (table: Table): CampaignRepository => {
  // Only active lifecycle campaigns carry the sparse index key, so planning reads just them.
  const store = entityStore<Campaign>(table, 'campaign', (campaign) =>
    campaign.status === 'active' && campaign.kind === 'lifecycle' ? keys.activeLifecycle(campaign.id) : {},
  );
  const { client, name } = table;
  return {
    ...store,
    list: ({ status }, page) =>
      store.query(
        {
          index: 'gsi2',
          partition: keys.typePartition('campaign'),
          ...(status ? { filter: { status } } : {}),
        },
        page,
      ),
    async activeLifecycle() {
      const items = await queryAll(client, {
        TableName: name,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.activeLifecyclePartition },
      });
      return items.map((item) => toEntity<Campaign>(item));
    },
    /** The sum of the campaign's counter items: the stream's shards and the replies' own item. */
    async stats(id) {
      const items: Record<string, unknown>[] = [];
      let request: Record<string, { Keys: Record<string, unknown>[] }> | undefined = {
        [name]: {
          Keys: [
            keys.campaignStats(id),
            ...Array.from({ length: STATS_SHARDS }, (_, n) => keys.campaignStatsShard(id, n)),
          ],
        },
      };
      while (request && Object.keys(request).length > 0) {
        const { Responses, UnprocessedKeys }: BatchGetCommandOutput = await client.send(
          new BatchGetCommand({ RequestItems: request }),
        );
        items.push(...(Responses?.[name] ?? []));
        request = UnprocessedKeys as typeof request;
      }
      return Object.fromEntries(
        COUNTERS.map((counter) => [
          counter,
          items.reduce((sum, item) => sum + Number(item[counter] ?? 0), 0),
        ]),
      ) as CampaignStats;
    },
  };
};
