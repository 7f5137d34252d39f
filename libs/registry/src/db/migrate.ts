import { createHash } from 'node:crypto';

import type { Logger } from '@metarec/runtime';
import type { Pool } from 'pg';

import { RegistryError } from '../errors.js';
import { type MigrationFile, readMigrationFiles } from './sql-files.js';

/** Options of `migrate`. */
export interface MigrateOptions {
  /** Pool whose connections' search_path holds the registry tables. */
  readonly pool: Pool;
  /** Receives one line per applied migration. @defaultValue none */
  readonly logger?: Logger;
  /**
   * Schema to create first if missing (the pool's search_path should name it). Lets a fresh
   * database or a per-tenant schema start without a manual step. @defaultValue none
   */
  readonly createSchema?: string;
  /** Migrations to apply; tests pass their own. @defaultValue the files under `sql/migrations/` */
  readonly migrations?: readonly MigrationFile[];
}

/** What `migrate` did. */
export interface MigrateReport {
  /** Ids applied by this call, in order. */
  readonly applied: readonly number[];
  /** Ids that were already recorded. */
  readonly alreadyApplied: readonly number[];
}

function checksum(sql: string): string {
  return createHash('sha256').update(sql).digest('hex');
}

/**
 * Brings the schema up to date: under a session advisory lock (so replicas starting together
 * apply each migration once), in one transaction, applies every migration not yet recorded in
 * `registry_schema_migrations` and records it with its sha256. An applied migration whose file
 * changed since is an error: migrations are append-only.
 *
 * @throws RegistryError (`REG_MIGRATION_FAILED`) naming the migration; nothing is applied then.
 */
export async function migrate(options: MigrateOptions): Promise<MigrateReport> {
  const migrations = options.migrations ?? readMigrationFiles();
  const client = await options.pool.connect();
  // The lock key is per schema, so test files in their own schemas do not wait on each other.
  // current_schema() is null until the schema exists, hence the explicit name when creating it.
  const lockKey = "hashtext('metarec-registry-migrate:' || coalesce($1::text, current_schema()))";
  const lockParams = [options.createSchema ?? null];
  try {
    if (options.createSchema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(options.createSchema)) {
      throw new RegistryError('REG_MIGRATION_FAILED', `invalid schema name "${options.createSchema}"`);
    }
    await client.query(`SELECT pg_advisory_lock(${lockKey})`, lockParams);
    try {
      await client.query('BEGIN');
      if (options.createSchema !== undefined) {
        // An identifier cannot be a bind parameter; the name was checked above.
        await client.query(`CREATE SCHEMA IF NOT EXISTS ${options.createSchema}`);
      }
      await client.query(
        `CREATE TABLE IF NOT EXISTS registry_schema_migrations (
           id integer PRIMARY KEY, name text NOT NULL, sha256 text NOT NULL,
           applied_at timestamptz NOT NULL DEFAULT clock_timestamp())`,
      );
      const recorded = await client.query<{ id: number; sha256: string }>('SELECT id, sha256 FROM registry_schema_migrations ORDER BY id');
      const known = new Map(recorded.rows.map((row) => [row.id, row.sha256]));
      const applied: number[] = [];
      for (const migration of migrations) {
        const sum = checksum(migration.sql);
        const previous = known.get(migration.id);
        if (previous !== undefined) {
          if (previous !== sum) {
            throw new RegistryError('REG_MIGRATION_FAILED', `migration ${migration.id}_${migration.name} was edited after it was applied (sha256 ${previous} → ${sum}); add a new migration instead`);
          }
          continue;
        }
        try {
          await client.query(migration.sql);
        } catch (error) {
          throw new RegistryError('REG_MIGRATION_FAILED', `migration ${migration.id}_${migration.name} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
        }
        await client.query('INSERT INTO registry_schema_migrations (id, name, sha256) VALUES ($1, $2, $3)', [migration.id, migration.name, sum]);
        applied.push(migration.id);
        options.logger?.info({ migration: `${migration.id}_${migration.name}` }, 'registry migration applied');
      }
      await client.query('COMMIT');
      return { applied, alreadyApplied: [...known.keys()] };
    } catch (error) {
      await client.query('ROLLBACK');
      throw error instanceof RegistryError ? error : new RegistryError('REG_MIGRATION_FAILED', `migrations failed: ${String(error)}`, { cause: error });
    } finally {
      await client.query(`SELECT pg_advisory_unlock(${lockKey})`, lockParams);
    }
  } finally {
    client.release();
  }
}
