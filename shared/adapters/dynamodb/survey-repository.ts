import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { answerCounters, type Satisfaction, type Survey, summaryRow } from '../../domain/survey.ts';
import type { InboundEffects, InboundRecord, SurveyRepository } from '../../ports/survey-repository.ts';
import { counterUpdate, summaryUpdate } from './counters.ts';
import { queryAll, queryPage } from './cursor.ts';
import { keys } from './keys.ts';
import { suppressionDelete, suppressionItem } from './suppression-list.ts';
import { type Table, toEntity } from './table.ts';
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

/** The summary row that counts replies matching no survey. */
const UNMATCHED = '(unmatched)';

/** A reply this long after the newest survey is not taken as an answer to it, not even a late one. */
const LATE_REPLY_DAYS = 30;

export const dynamoSurveyRepository = ({ client, name }: Table): SurveyRepository => {
  const get = async (id: string) => {
    const { Item } = await client.send(new GetCommand({ TableName: name, Key: keys.survey(id) }));
    return Item ? toEntity<Survey>(Item) : undefined;
  };
  return {
    get,
    async byProviderMessageId(providerMessageId) {
      const { Item } = await client.send(
        new GetCommand({ TableName: name, Key: keys.surveyByMessage(providerMessageId) }),
      );
      return Item ? get(String(Item.surveyId)) : undefined;
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
      const counters = answerCounters(satisfaction);
      const stats = { replies: 1, [satisfaction.score]: 1 };
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
              { Update: counterUpdate(name, survey.campaignId, stats) },
              { Update: summaryUpdate(name, 'campaign', survey.campaignId, counters) },
              ...(survey.sku ? [{ Update: summaryUpdate(name, 'sku', survey.sku, counters) }] : []),
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
      const items: TransactItems = [inboundItem(name, inbound)];
      if (inbound.outcome === 'unmatched')
        items.push({ Update: summaryUpdate(name, 'campaign', '(unmatched)', { replies: 1 }) });
      items.push(...effectItems(name, effects));
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
    async summary(groupBy) {
      const items = await queryAll(client, {
        TableName: name,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.summaryPartition(groupBy) },
      });
      let unmatchedReplies = Number(items.find((item) => item.sk === UNMATCHED)?.replies ?? 0);
      const rows = items
        .filter((item) => item.sk !== UNMATCHED)
        .map((item) =>
          summaryRow(String(item.sk), {
            surveys: Number(item.surveys ?? 0),
            replies: Number(item.replies ?? 0),
            satisfied: Number(item.satisfied ?? 0),
            neutral: Number(item.neutral ?? 0),
            unsatisfied: Number(item.unsatisfied ?? 0),
            csatRated: Number(item.csatRated ?? 0),
            csatSum: Number(item.csatSum ?? 0),
            npsRated: Number(item.npsRated ?? 0),
            npsSum: Number(item.npsSum ?? 0),
            promoters: Number(item.promoters ?? 0),
            detractors: Number(item.detractors ?? 0),
          }),
        );
      if (groupBy === 'sku') {
        const { Item } = await client.send(
          new GetCommand({ TableName: name, Key: keys.summary('campaign', UNMATCHED) }),
        );
        unmatchedReplies = Number(Item?.replies ?? 0);
      }
      return { rows, unmatchedReplies };
    },
  };
};
