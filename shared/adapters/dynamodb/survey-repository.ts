import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { type Satisfaction, type SummaryCounters, type Survey, summaryRow } from '../../domain/survey.ts';
import type { InboundEffects, InboundRecord, SurveyRepository } from '../../ports/survey-repository.ts';
import { queryAll, queryPage } from './cursor.ts';
import { keys } from './keys.ts';
import { suppressionDelete, suppressionItem } from './suppression-list.ts';
import { type Table, toEntity } from './table.ts';
import { UNMATCHED_SUMMARY as UNMATCHED } from './tally-mapping.ts';
import { timelineNoteItem } from './timeline-repository.ts';
import { failedConditions } from './write-failures.ts';

type TransactItems = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>;

/** Inbound texts hold a phone and words; they are kept this long for support, then expire by TTL. */
export const INBOUND_RETENTION_DAYS = 90;

const inboundItem = (tableName: string, inbound: InboundRecord) => ({
  Put: {
    TableName: tableName,
    Item: {
      ...keys.inbound(inbound.payload.inboundMessageId),
      ...keys.inboundOfPhone(inbound.phone, inbound.receivedAt, inbound.payload.inboundMessageId),
      entityType: 'inbound-sms',
      ...inbound,
      ttl: Math.floor(Date.parse(inbound.receivedAt) / 1000) + INBOUND_RETENTION_DAYS * 86_400,
    },
    ConditionExpression: 'attribute_not_exists(pk)',
  },
});

/** The opt-out, opt-in and timeline items that go in the inbound record's transaction. */
const effectItems = (tableName: string, effects: InboundEffects = {}): TransactItems => [
  // Unconditional: the caller checked the list, and a concurrent entry for the same address is as good.
  ...(effects.suppress ? [{ Put: { TableName: tableName, Item: suppressionItem(effects.suppress) } }] : []),
  ...(effects.unsuppress
    ? [
        suppressionDelete(
          tableName,
          effects.unsuppress.channel,
          effects.unsuppress.address,
          effects.unsuppress.reasons,
        ),
      ]
    : []),
  ...(effects.notes ?? []).map((note) => ({ Put: { TableName: tableName, Item: timelineNoteItem(note) } })),
];

/** The counters a summary row keeps (domain/survey.ts SummaryCounters). */
const SUMMARY_COUNTERS = [
  'surveys',
  'replies',
  'satisfied',
  'neutral',
  'unsatisfied',
  'csatRated',
  'csatSum',
  'npsRated',
  'npsSum',
  'promoters',
  'detractors',
] as const;

/** A reply this long after the newest survey is not taken as an answer to it, not even a late one. */
const LATE_REPLY_DAYS = 30;

export const dynamoSurveyRepository = ({ client, name }: Table): SurveyRepository => {
  const get = async (id: string) => {
    const { Item } = await client.send(new GetCommand({ TableName: name, Key: keys.survey(id) }));
    return Item ? toEntity<Survey>(Item) : undefined;
  };
  return {
    get,
    async byProviderMessageId(phone, providerMessageId) {
      // Within the phone's own surveys (a handful): the survey item carries the provider's id.
      const items = await queryAll(client, {
        TableName: name,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        FilterExpression: 'providerMessageId = :id',
        ExpressionAttributeValues: { ':pk': keys.surveysOfPhonePartition(phone), ':id': providerMessageId },
      });
      return items[0] ? toEntity<Survey>(items[0]) : undefined;
    },
    async latestFor(phone, now) {
      const { Items = [] } = await client.send(
        new QueryCommand({
          TableName: name,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeValues: { ':pk': keys.surveysOfPhonePartition(phone) },
          ScanIndexForward: false,
          Limit: 20,
        }),
      );
      const surveys = Items.map((item) => toEntity<Survey>(item));
      const open = surveys.find((s) => s.status === 'open' && Date.parse(s.expiresAt) > now.getTime());
      const recent =
        surveys[0] && now.getTime() - Date.parse(surveys[0].sentAt) < LATE_REPLY_DAYS * 86_400_000
          ? surveys[0]
          : undefined;
      return open ?? recent;
    },
    async answer(satisfaction, survey, inbound, effects) {
      // No counter here: the stream counts the satisfaction record (tally-mapping.ts), so a reply
      // writes only its own items and never a row every reply shares.
      try {
        await client.send(
          new TransactWriteCommand({
            TransactItems: [
              inboundItem(name, inbound),
              {
                Put: {
                  TableName: name,
                  Item: {
                    ...keys.satisfaction(survey.id),
                    ...keys.timeline(satisfaction.customerId, satisfaction.receivedAt, satisfaction.id),
                    ...keys.satisfactionOfCampaign(
                      satisfaction.campaignId,
                      satisfaction.receivedAt,
                      satisfaction.id,
                    ),
                    ...(satisfaction.sku
                      ? keys.satisfactionOfSku(satisfaction.sku, satisfaction.receivedAt, satisfaction.id)
                      : {}),
                    entityType: 'satisfaction',
                    ...satisfaction,
                  },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
              {
                Update: {
                  TableName: name,
                  Key: keys.survey(survey.id),
                  UpdateExpression: 'SET #status = :answered',
                  ConditionExpression: '#status = :open',
                  ExpressionAttributeNames: { '#status': 'status' },
                  ExpressionAttributeValues: { ':answered': 'answered', ':open': 'open' },
                },
              },
              ...effectItems(name, effects),
            ],
          }),
        );
        return 'scored';
      } catch (error) {
        const failed = failedConditions(error);
        if (!failed) throw error;
        if (failed.includes(0)) return 'duplicate';
        if (failed.includes(1) || failed.includes(2)) {
          // The first answer won; this one is kept in the history instead.
          const kept = await this.keep(
            { ...inbound, outcome: 'already-answered', surveyId: survey.id },
            effects,
          );
          return kept ? 'already-answered' : 'duplicate';
        }
        throw error;
      }
    },
    async keep(inbound, effects) {
      // An unmatched reply is counted by the stream from this record (tally-mapping.ts).
      const items: TransactItems = [inboundItem(name, inbound), ...effectItems(name, effects)];
      try {
        await client.send(new TransactWriteCommand({ TransactItems: items }));
        return true;
      } catch (error) {
        if (failedConditions(error)?.includes(0)) return false;
        throw error;
      }
    },
    async satisfactionOf(surveyId) {
      const { Item } = await client.send(
        new GetCommand({ TableName: name, Key: keys.satisfaction(surveyId) }),
      );
      return Item ? toEntity<Satisfaction>(Item) : undefined;
    },
    async list(filter, page) {
      const [index, partition] = filter.customerId
        ? ['gsi3', keys.timelinePartition(filter.customerId)]
        : filter.campaignId
          ? ['gsi1', keys.satisfactionOfCampaignPartition(filter.campaignId)]
          : ['gsi2', keys.satisfactionOfSkuPartition(filter.sku ?? '')];
      const extra = Object.entries({
        campaignId: filter.customerId ? filter.campaignId : undefined,
        sku: filter.customerId || filter.campaignId ? filter.sku : undefined,
      }).filter(([, v]) => v !== undefined);
      return queryPage(
        client,
        {
          TableName: name,
          IndexName: index,
          KeyConditionExpression: '#pk = :pk',
          FilterExpression: ['entityType = :satisfaction', ...extra.map((_, i) => `#f${i} = :f${i}`)].join(
            ' AND ',
          ),
          ExpressionAttributeNames: {
            '#pk': `${index}pk`,
            ...Object.fromEntries(extra.map(([k], i) => [`#f${i}`, k])),
          },
          ExpressionAttributeValues: {
            ':pk': partition,
            ':satisfaction': 'satisfaction',
            ...Object.fromEntries(extra.map(([, v], i) => [`:f${i}`, v])),
          },
          ScanIndexForward: false,
        },
        page,
        (i) => toEntity<Satisfaction>(i),
      );
    },
    /**
     * Sums each row over the stream's counter shards and the unsharded row older replies and
     * surveys wrote in their own transactions; the unmatched count lives on the campaign grouping.
     */
    async summary(groupBy) {
      const read = async (grouping: 'sku' | 'campaign') => {
        const partitions = [keys.summaryPartition(grouping), ...keys.summaryShardPartitions(grouping)];
        const pages = await Promise.all(
          partitions.map((pk) =>
            queryAll(client, {
              TableName: name,
              KeyConditionExpression: 'pk = :pk',
              ExpressionAttributeValues: { ':pk': pk },
            }),
          ),
        );
        const rows = new Map<string, Record<string, number>>();
        for (const item of pages.flat()) {
          const row = rows.get(String(item.sk)) ?? {};
          for (const counter of SUMMARY_COUNTERS)
            row[counter] = (row[counter] ?? 0) + Number(item[counter] ?? 0);
          rows.set(String(item.sk), row);
        }
        return rows;
      };
      const [counted, unmatchedRows] = await Promise.all([
        read(groupBy),
        // By sku, only the unmatched row of the campaign grouping is read: one item per shard.
        groupBy === 'sku'
          ? Promise.all(
              [
                keys.summary('campaign', UNMATCHED),
                ...keys.summaryShardPartitions('campaign').map((pk) => ({ pk, sk: UNMATCHED })),
              ].map(async (key) => (await client.send(new GetCommand({ TableName: name, Key: key }))).Item),
            )
          : undefined,
      ]);
      const unmatchedReplies = unmatchedRows
        ? unmatchedRows.reduce((n, item) => n + Number(item?.replies ?? 0), 0)
        : (counted.get(UNMATCHED)?.replies ?? 0);
      const rows = [...counted]
        .filter(([key]) => key !== UNMATCHED)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([key, c]) => summaryRow(key, c as unknown as SummaryCounters));
      return { rows, unmatchedReplies };
    },
  };
};
