import type { Pool, PoolClient } from 'pg';

import { toRegistryError } from './pg-error.js';

/**
 * Runs `work` inside BEGIN/COMMIT on one pooled client; ROLLBACK and rethrow on failure.
 * A failed ROLLBACK destroys the client instead of returning it to the pool half-open.
 */
export async function withTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  // Connect, BEGIN and COMMIT failures become coded errors too (an outage is REG_UNAVAILABLE).
  const client = await pool.connect().catch((error: unknown) => {
    throw toRegistryError(error, 'connect');
  });
  let broken: Error | undefined;
  try {
    await client.query('BEGIN').catch((error: unknown) => {
      throw toRegistryError(error, 'begin');
    });
    const result = await work(client);
    await client.query('COMMIT').catch((error: unknown) => {
      throw toRegistryError(error, 'commit');
    });
    return result;
  } catch (error) {
    try {
      await client.query('ROLLBACK');
    } catch (rollbackError) {
      broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    }
    throw error;
  } finally {
    client.release(broken);
  }
}
