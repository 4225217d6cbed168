import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { defaultSalesSettings, type SalesSettings } from '../../domain/lead.ts';
import type { SalesSettingsStore } from '../../ports/lead-repository.ts';
import { keys } from './keys.ts';
import type { Table } from './table.ts';

export const dynamoSalesSettingsStore = ({ client, name }: Table): SalesSettingsStore => ({
  async get() {
    const { Item } = await client.send(new GetCommand({ TableName: name, Key: keys.salesSettings }));
    return Item ? (Item.settings as SalesSettings) : defaultSalesSettings;
  },
  async put(settings) {
    await client.send(new PutCommand({ TableName: name, Item: { ...keys.salesSettings, settings } }));
  },
});
