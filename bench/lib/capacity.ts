/**
 * Counts DynamoDB work: a middleware on the client's stack asks for `ReturnConsumedCapacity: 'TOTAL'` on every
 * command that accepts it and sums the capacity units DynamoDB (Local) answers with, per command, plus call counts
 * and time spent waiting for DynamoDB. The DocumentClient shares the client's middleware stack, so wrapping the
 * client covers the store.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

const readCommands = new Set(['GetItemCommand', 'QueryCommand', 'ScanCommand', 'BatchGetItemCommand', 'TransactGetItemsCommand']);
const writeCommands = new Set([
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'BatchWriteItemCommand',
  'TransactWriteItemsCommand',
]);

export interface CommandStats {
  calls: number;
  ms: number;
  readUnits: number;
  writeUnits: number;
  /** Calls whose answer carried no ConsumedCapacity (DynamoDB Local leaves it out for some commands). */
  unreported: number;
  errors: number;
}

interface CapacityEntry {
  CapacityUnits?: number;
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
}

type KeyValue = string | { S?: string } | undefined;
type KeyLike = { pk?: KeyValue; sk?: KeyValue } | undefined;

const text = (value: KeyValue): string => (typeof value === 'string' ? value : (value?.S ?? '?'));
/** `LEARNER#…`/`AUDIT#…` → `LEARNER/AUDIT`: what kind of item a write touched, without its ids. */
const kindOf = (key: KeyLike): string => `${text(key?.pk).split('#')[0]}/${text(key?.sk).split('#')[0]}`;

/** The kinds of items a write command touches (a transaction: all of them, joined with +). */
const writtenKinds = (command: string, input: Record<string, unknown>): string | undefined => {
  if (command === 'PutItemCommand') return kindOf(input['Item'] as KeyLike);
  if (command === 'UpdateItemCommand' || command === 'DeleteItemCommand') return kindOf(input['Key'] as KeyLike);
  if (command === 'TransactWriteItemsCommand') {
    const items = (input['TransactItems'] as Array<Record<string, { Item?: KeyLike; Key?: KeyLike }>>) ?? [];
    return `transaction ${items
      .map((entry) => {
        const op = Object.values(entry)[0];
        return kindOf(op?.Item ?? op?.Key);
      })
      .join(' + ')}`;
  }
  if (command === 'BatchWriteItemCommand') return 'batch write';
  return undefined;
};

export class CapacityMeter {
  readonly byCommand = new Map<string, CommandStats>();
  /** Write calls and units by the kind of item written (see {@link writtenKinds}). */
  readonly byItemKind = new Map<string, { calls: number; writeUnits: number }>();

  stats(command: string): CommandStats {
    let stats = this.byCommand.get(command);
    if (!stats) {
      stats = { calls: 0, ms: 0, readUnits: 0, writeUnits: 0, unreported: 0, errors: 0 };
      this.byCommand.set(command, stats);
    }
    return stats;
  }

  reset(): void {
    this.byCommand.clear();
    this.byItemKind.clear();
  }

  totals(): CommandStats {
    const total: CommandStats = { calls: 0, ms: 0, readUnits: 0, writeUnits: 0, unreported: 0, errors: 0 };
    for (const stats of this.byCommand.values()) {
      for (const key of Object.keys(total) as Array<keyof CommandStats>) total[key] += stats[key];
    }
    return total;
  }

  /** Adds the middleware to `client` (and so to every DocumentClient made from it). */
  instrument(client: DynamoDBClient): DynamoDBClient {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const command = context.commandName ?? 'unknown';
        const input = args.input as Record<string, unknown>;
        const counted = readCommands.has(command) || writeCommands.has(command);
        if (counted) input['ReturnConsumedCapacity'] = 'TOTAL';
        const stats = this.stats(command);
        const kind = writtenKinds(command, input);
        const started = performance.now();
        try {
          const result = await next(args);
          const consumed = (result.output as { ConsumedCapacity?: CapacityEntry | CapacityEntry[] }).ConsumedCapacity;
          const entries = consumed === undefined ? [] : Array.isArray(consumed) ? consumed : [consumed];
          if (counted && entries.length === 0) stats.unreported++;
          for (const entry of entries) {
            const units = entry.CapacityUnits ?? (entry.ReadCapacityUnits ?? 0) + (entry.WriteCapacityUnits ?? 0);
            // Reads and writes are told apart by the command (TOTAL gives CapacityUnits only).
            if (writeCommands.has(command)) stats.writeUnits += entry.WriteCapacityUnits ?? units;
            else stats.readUnits += entry.ReadCapacityUnits ?? units;
            if (kind) {
              const byKind = this.byItemKind.get(kind) ?? { calls: 0, writeUnits: 0 };
              byKind.calls++;
              byKind.writeUnits += entry.WriteCapacityUnits ?? units;
              this.byItemKind.set(kind, byKind);
            }
          }
          return result;
        } catch (error) {
          stats.errors++;
          throw error;
        } finally {
          stats.calls++;
          stats.ms += performance.now() - started;
        }
      },
      { step: 'initialize', name: 'benchConsumedCapacity', override: true },
    );
    return client;
  }
}
