import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { ItemLoader } from '../../ports/event-publisher.ts';
import { type Table, toEntity } from './table.ts';

/** Reads the entity behind an event published by reference; strongly consistent, so it is never older than the event. */
export const dynamoItemLoader = ({ client, name }: Table): ItemLoader => ({
  async load(ref) {
    const { Item } = await client.send(
      new GetCommand({ TableName: name, Key: { pk: ref.pk, sk: ref.sk }, ConsistentRead: true }),
    );
    return Item ? toEntity<Record<string, unknown>>(Item) : undefined;
  },
});
