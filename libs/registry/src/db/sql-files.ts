import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import type { Pool, PoolClient, QueryResultRow } from 'pg';

import { toRegistryError } from './pg-error.js';

/** The package's `sql/` folder: `src/db` and `dist/db` both sit two levels below it. */
const SQL_ROOT = new URL('../../sql/', import.meta.url);

/** Names of the query files under `sql/queries/` (one operation each, header documents $n). */
export const QUERY_NAMES = [
  'insert-model',
  'list-models',
  'get-model',
  'lock-model',
  'allocate-version',
  'peek-next-version',
  'insert-version',
  'get-version',
  'list-versions',
  'archive-version',
  'aliases-of-version',
  'get-alias',
  'list-aliases',
  'insert-alias-event',
  'upsert-alias',
  'alias-history',
  'alias-at',
  'last-alias-event',
  'notify-alias',
  'update-version-meta',
  'insert-run',
  'get-run',
  'list-runs',
  'update-run',
  'insert-run-metrics',
  'run-metric-history',
  'run-latest-metrics',
  'insert-run-artifact',
  'list-run-artifacts',
  'versions-of-run',
  'ping',
  'migrations-lock',
  'migrations-unlock',
  'migrations-create-table',
  'migrations-list',
  'migrations-record',
] as const;

/** One query file's name. */
export type QueryName = (typeof QUERY_NAMES)[number];

/** Something that runs SQL: the pool, or a client inside a transaction. */
export type Queryable = Pick<Pool, 'query'> | PoolClient;

/** One migration file: `NNNN_name.sql`, applied in order of `id`. */
export interface MigrationFile {
  readonly id: number;
  readonly name: string;
  readonly sql: string;
}

let cachedQueries: ReadonlyMap<QueryName, string> | undefined;

/** Reads every query file once (at first use); a missing file fails loudly at start, not mid-request. */
function queries(): ReadonlyMap<QueryName, string> {
  cachedQueries ??= new Map(QUERY_NAMES.map((name) => [name, readFileSync(fileURLToPath(new URL(`queries/${name}.sql`, SQL_ROOT)), 'utf8')]));
  return cachedQueries;
}

/** Loads all query files now (call at start so a broken install fails before serving). */
export function preloadQueries(): void {
  queries();
}

/**
 * The one call site of the registry's SQL: runs a named query file with positional parameters
 * and turns pg's SQLSTATE errors into `RegistryError`s.
 */
export async function execQuery<R extends QueryResultRow>(db: Queryable, name: QueryName, params: readonly unknown[] = []): Promise<R[]> {
  const text = queries().get(name);
  if (text === undefined) {
    throw new Error(`unknown query ${name}`);
  }
  try {
    const result = await db.query<R>(text, [...params]);
    return result.rows;
  } catch (error) {
    throw toRegistryError(error, name);
  }
}

/** The migration files under `sql/migrations/`, sorted by id. */
export function readMigrationFiles(): MigrationFile[] {
  const dir = new URL('migrations/', SQL_ROOT);
  return readdirSync(fileURLToPath(dir))
    .filter((file) => /^[0-9]{4}_[a-z0-9_]+\.sql$/.test(file))
    .sort()
    .map((file) => ({ id: Number(file.slice(0, 4)), name: file.slice(5, -4), sql: readFileSync(fileURLToPath(new URL(file, dir)), 'utf8') }));
}
