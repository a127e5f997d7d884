import type {
  KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow,
} from 'kysely';

/**
 * One rule for integers read from either database, so both dialects hand the code the same types:
 *
 * - Drivers are configured to never round: better-sqlite3 returns every INTEGER as a bigint
 *   (`defaultSafeIntegers`), pg parses int8 as a bigint (dialects.ts).
 * - Columns named `seq` or `*_seq` (WeCom's uint64 archive cursor) stay `bigint`: exact beyond 2^53.
 * - Every other integer (ids, epoch-ms times, counts, flags) becomes a `number`; a value that a
 *   number cannot hold exactly throws instead of being silently rounded.
 *
 * The rule keys on the result column name, so a query that aliases seq must keep a seq-like alias.
 */
export function isExactIntegerColumn(column: string): boolean {
  return column === 'seq' || column.endsWith('_seq');
}

export class IntegerPlugin implements KyselyPlugin {
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    for (const row of args.result.rows) normalizeRow(row);
    return args.result;
  }
}

function normalizeRow(row: UnknownRow): void {
  for (const column of Object.keys(row)) {
    const value = row[column];
    if (typeof value === 'bigint') {
      if (!isExactIntegerColumn(column)) row[column] = toNumber(value, column);
    } else if (typeof value === 'number' && Number.isInteger(value) && isExactIntegerColumn(column)) {
      row[column] = BigInt(value);
    }
  }
}

function toNumber(value: bigint, column: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) {
    throw new RangeError(
      `Integer column "${column}" holds ${value}, beyond 2^53: name it seq or *_seq to read it as a bigint`);
  }
  return n;
}
