import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { AutomationRule, RuleRun } from '../../domain/automation-rule.ts';
import type { AutomationRuleRepository } from '../../ports/repositories.ts';
import { queryPage } from './cursor.ts';
import { entityStore } from './entity-store.ts';
import { keys } from './keys.ts';
import type { Table } from './table.ts';

const RUN_RETENTION_SECONDS = 90 * 24 * 60 * 60;

export const dynamoAutomationRuleRepository = (table: Table): AutomationRuleRepository => {
  const store = entityStore<AutomationRule>(table, 'rule', () => ({}));
  const { client, name } = table;
  return {
    ...store,
    list: (page) => store.query({ index: 'gsi2', partition: keys.typePartition('rule') }, page),
    async enabled() {
      const rules: AutomationRule[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.query(
          { index: 'gsi2', partition: keys.typePartition('rule') },
          { limit: 100, cursor },
        );
        rules.push(...page.items.filter((rule) => rule.enabled));
        cursor = page.nextCursor;
      } while (cursor);
      return rules;
    },
    async recordRun(run) {
      // Keyed by the event, so a redelivered event overwrites its own run instead of adding one.
      await client.send(
        new PutCommand({
          TableName: name,
          Item: {
            ...keys.ruleRun(run.ruleId, run.at, run.eventId),
            ...run,
            ttl: Math.floor(Date.parse(run.at) / 1000) + RUN_RETENTION_SECONDS,
          },
        }),
      );
    },
    async runs(ruleId, page) {
      return queryPage(
        client,
        {
          TableName: name,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': keys.rulePartition(ruleId), ':prefix': keys.ruleRunPrefix },
          ScanIndexForward: false,
        },
        page,
        ({ pk: _pk, sk: _sk, ttl: _ttl, ...run }) => run as RuleRun,
      );
    },
  };
};
