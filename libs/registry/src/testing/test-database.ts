import { randomBytes } from 'node:crypto';

import pg from 'pg';

import { migrate } from '../db/migrate.js';
import { withSearchPath } from '../db/search-path.js';

/** A migrated, private schema for one test file. */
export interface TestDatabase {
  /** Pool whose connections use the private schema. */
  readonly pool: pg.Pool;
  readonly schema: string;
  /** Connection string that selects the schema (for apps and extra clients). */
  readonly url: string;
  /** Closes the pool and drops the schema. */
  drop(): Promise<void>;
}

/**
 * Creates a fresh schema `reg_test_<random>` in the database at `databaseUrl`, applies the
 * registry migrations to it and returns a pool bound to it, so test files never see each
 * other's rows and need no cleanup between runs.
 */
export async function createTestDatabase(databaseUrl: string): Promise<TestDatabase> {
  const schema = `reg_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA ${schema}`);
  } finally {
    await admin.end();
  }
  const url = withSearchPath(databaseUrl, schema);
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  await migrate({ pool });
  return {
    pool,
    schema,
    url,
    async drop() {
      await pool.end();
      const cleaner = new pg.Client({ connectionString: databaseUrl });
      await cleaner.connect();
      try {
        await cleaner.query(`DROP SCHEMA ${schema} CASCADE`);
      } finally {
        await cleaner.end();
      }
    },
  };
}
