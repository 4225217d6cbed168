import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** The document client every repository shares; created once per cold start by a composition root. */
export interface Table {
  client: DynamoDBDocumentClient;
  name: string;
}

export const createTable = (name: string, config: DynamoDBClientConfig = {}): Table => ({
  name,
  client: DynamoDBDocumentClient.from(new DynamoDBClient(config), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  }),
});

const KEY_ATTRIBUTES = [
  'pk',
  'sk',
  'gsi1pk',
  'gsi1sk',
  'gsi2pk',
  'gsi2sk',
  'gsi3pk',
  'gsi3sk',
  'entityType',
  'ttl',
  '_cause',
];

/** Removes the storage-only attributes so an item reads back as its domain entity. */
export const toEntity = <T>(item: Record<string, unknown>): T => {
  const entity = { ...item };
  for (const attribute of KEY_ATTRIBUTES) delete entity[attribute];
  return entity as T;
};

export const isConditionFailure = (error: unknown): boolean =>
  error instanceof Error && error.name === 'ConditionalCheckFailedException';
