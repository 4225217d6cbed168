import {
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { type Satisfaction, type SummaryCounters, type Survey, summaryRow } from '../../domain/survey.ts';
import type { InboundEffects, InboundRecord, SurveyRepository } from '../../ports/survey-repository.ts';
import { queryAll, queryPage } from './cursor.ts';
import { keys } from './keys.ts';
import { suppressionDelete, suppressionItem } from './suppression-list.ts';
import { type Table, toEntity } from './table.ts';
import { UNMATCHED_SUMMARY as UNMATCHED } from './tally-mapping.ts';
import { timelineNoteItem } from './timeline-repository.ts';
import { conditionalWrite, failedConditions } from './write-failures.ts';

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

/** Storage-only: which inbound message wrote a satisfaction record, so its redelivery knows its own answer. */
const ANSWERED_BY = 'answeredBy';

export const dynamoSurveyRepository = ({ client, name }: Table): SurveyRepository => {
  /** Closes an open survey; a no-op when it is closed already. */
  const close = (surveyId: string) =>
    client
      .send(
        new UpdateCommand({
          TableName: name,
          Key: keys.survey(surveyId),
          UpdateExpression: 'SET #status = :answered',
          ConditionExpression: '#status = :open',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':answered': 'answered', ':open': 'open' },
        }),
      )
      .catch((error: unknown) => {
        if (!failedConditions(error)) throw error;
      });
  /** A satisfaction record as the API shows it: without its storage-only attributes. */
  const toSatisfaction = (item: Record<string, unknown>) => {
    const { [ANSWERED_BY]: _by, ...satisfaction } = toEntity<Satisfaction & Record<string, unknown>>(item);
    return satisfaction as Satisfaction;
  };
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
    /**
     * Three plain writes, none shared: the satisfaction record (refused if the survey has one),
     * the inbound record with the reply's effects (the redelivery guard), then the survey closed.
     * The satisfaction keeps the inbound id, so a redelivery after a crash anywhere in between
     * finds its own answer and finishes the rest; one from another message is kept as history.
     * The stream counts the satisfaction record (tally-mapping.ts).
     */
    async answer(satisfaction, survey, inbound, effects) {
      const inboundMessageId = inbound.payload.inboundMessageId;
      const answered = await conditionalWrite(() =>
        client.send(
          new PutCommand({
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
              [ANSWERED_BY]: inboundMessageId,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        ),
      );
      if (!answered.written) {
        const stored = answered.item ? unmarshall(answered.item as never) : undefined;
        if (stored?.[ANSWERED_BY] !== inboundMessageId) {
          // The first answer won; this one is kept in the history instead.
          const kept = await this.keep(
            { ...inbound, outcome: 'already-answered', surveyId: survey.id },
            effects,
          );
          await close(survey.id);
          return kept ? 'already-answered' : 'duplicate';
        }
      }
      const kept = await this.keep(inbound, effects);
      await close(survey.id);
      return kept ? 'scored' : 'duplicate';
    },
    async keep(inbound, effects) {
      // An unmatched reply is counted by the stream from this record (tally-mapping.ts).
      const items: TransactItems = [inboundItem(name, inbound), ...effectItems(name, effects)];
      try {
        // A transaction only when there are effects to keep atomic with the record (2 WCU per item).
        if (items.length === 1) await client.send(new PutCommand(inboundItem(name, inbound).Put));
        else await client.send(new TransactWriteCommand({ TransactItems: items }));
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
      return Item ? toSatisfaction(Item) : undefined;
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
        toSatisfaction,
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
