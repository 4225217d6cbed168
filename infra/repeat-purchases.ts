import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { CrmFunction } from './constructs/crm-function.ts';

/**
 * The repeat-purchase counter may read and write only its own items: a customer's `REPEAT#…`
 * state and markers and the `REPORT#repeat#shard` counters (dynamodb:LeadingKeys), on the base table
 * only. It never queries, so it gets no index.
 */
export const countsRepeatPurchases = (fn: CrmFunction, table: ITable): CrmFunction => {
  fn.function.addEnvironment('TABLE_NAME', table.tableName);
  fn.role.addToPrincipalPolicy(
    new PolicyStatement({
      effect: Effect.ALLOW,
      // Transactions need the item actions they contain; there is no separate TransactWriteItems action.
      actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
      resources: [table.tableArn],
      conditions: {
        'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['REPEAT#*', 'REPORT#repeat#*'] },
      },
    }),
  );
  table.encryptionKey?.grantEncryptDecrypt(fn.role);
  return fn;
};
