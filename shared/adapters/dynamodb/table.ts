import { createHash } from 'node:crypto';
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { useCursorKey } from './cursor.ts';
import { STORAGE_ATTRIBUTES } from './keys.ts';
import { isConditionFailure, isTransactionConflict } from './write-failures.ts';

/** The document client every repository shares; created once per cold start by a composition root. */
export interface Table {
  client: DynamoDBDocumentClient;
  name: string;
}

/**
 * `cursorKey` signs list cursors (CURSOR_KEY). Without one the key is derived from the table name:
 * cursors are still tamper-evident against edits and borrowing, just not against someone who knows
 * the name and this code; a deployment sets CURSOR_KEY.
 */
export const createTable = (name: string, config: DynamoDBClientConfig = {}, cursorKey?: string): Table => {
  const client = DynamoDBDocumentClient.from(new DynamoDBClient(config), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  useCursorKey(
    client,
    createHash('sha256')
      .update(cursorKey ?? `crm-cursor:${name}`)
      .digest(),
  );
  return { name, client };
};

/** Removes the storage-only attributes so an item reads back as its domain entity. */
export const toEntity = <T>(item: Record<string, unknown>): T => {
  const entity = { ...item };
  for (const attribute of STORAGE_ATTRIBUTES) delete entity[attribute];
  return entity as T;
};

/**
 * Counts the DynamoDB operations a client issues (by command name) and the capacity they consume,
 * asking for ReturnConsumedCapacity on every call. Used by the no-Scan check and the benchmarks.
 */
export const instrument = (table: Table) => {
  const counts = new Map<string, number>();
  const capacity = { read: 0, write: 0 };
  table.client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = String(context.commandName ?? 'unknown').replace(/Command$/, '');
      counts.set(name, (counts.get(name) ?? 0) + 1);
      (args.input as Record<string, unknown>).ReturnConsumedCapacity ??= 'TOTAL';
      const result = await next(args);
      const consumed = (result.output as { ConsumedCapacity?: unknown }).ConsumedCapacity;
      for (const entry of (
        [] as { ReadCapacityUnits?: number; WriteCapacityUnits?: number; CapacityUnits?: number }[]
      ).concat((consumed as never) ?? [])) {
        capacity.read += entry.ReadCapacityUnits ?? 0;
        capacity.write += entry.WriteCapacityUnits ?? 0;
        if (entry.ReadCapacityUnits === undefined && entry.WriteCapacityUnits === undefined) {
          // Some operations report only the total; reads and writes are told apart by the command.
          if (/^(Get|BatchGet|Query|Scan|TransactGet)/.test(name)) capacity.read += entry.CapacityUnits ?? 0;
          else capacity.write += entry.CapacityUnits ?? 0;
        }
      }
      return result;
    },
    { step: 'initialize', name: 'crmInstrument' },
  );
  return {
    counts,
    capacity,
    reset() {
      counts.clear();
      capacity.read = 0;
      capacity.write = 0;
    },
  };
};

/** Kept here for the files that import it from this module; the classification lives in ./write-failures.ts. */
export { isConditionFailure };

/** A versioned write that lost to another writer: a stale version or an overlapping transaction. */
export const isLostRace = (error: unknown): boolean =>
  isConditionFailure(error) || isTransactionConflict(error);
