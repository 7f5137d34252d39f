import { createHash } from 'node:crypto';

import type { Logger } from '@metarec/runtime';
import type { Pool } from 'pg';

import { RegistryError } from '../errors.js';
import { execQuery, type MigrationFile, readMigrationFiles } from './sql-files.js';

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
  const lockParams = [options.createSchema ?? null];
  try {
    if (options.createSchema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(options.createSchema)) {
      throw new RegistryError('REG_MIGRATION_FAILED', `invalid schema name "${options.createSchema}"`);
    }
    await execQuery(client, 'migrations-lock', lockParams);
    try {
      await client.query('BEGIN');
      if (options.createSchema !== undefined) {
        // An identifier cannot be a bind parameter; the name was checked above.
        await client.query(`CREATE SCHEMA IF NOT EXISTS ${options.createSchema}`);
      }
      await execQuery(client, 'migrations-create-table');
      const recorded = await execQuery<{ id: number; sha256: string }>(client, 'migrations-list');
      const known = new Map(recorded.map((row) => [row.id, row.sha256]));
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
        await execQuery(client, 'migrations-record', [migration.id, migration.name, sum]);
        applied.push(migration.id);
        options.logger?.info({ migration: `${migration.id}_${migration.name}` }, 'registry migration applied');
      }
      await client.query('COMMIT');
      return { applied, alreadyApplied: [...known.keys()] };
    } catch (error) {
      await client.query('ROLLBACK');
      throw error instanceof RegistryError ? error : new RegistryError('REG_MIGRATION_FAILED', `migrations failed: ${String(error)}`, { cause: error });
    } finally {
      await execQuery(client, 'migrations-unlock', lockParams);
    }
  } finally {
    client.release();
  }
}
