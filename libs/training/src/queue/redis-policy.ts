import type { Redis } from 'ioredis';

import { TrainingError } from '../errors.js';

/**
 * Refuses a Redis that may evict keys: BullMQ's job hashes and our blobs must never disappear
 * under memory pressure (an evicted lock or result silently corrupts a run).
 * @throws TrainingError `TRAIN_REDIS_POLICY` naming the policy found.
 */
export async function assertNoEviction(redis: Redis): Promise<void> {
  const reply = (await redis.config('GET', 'maxmemory-policy')) as unknown;
  const policy = Array.isArray(reply) ? String(reply[1]) : String(reply);
  if (policy !== 'noeviction') {
    throw new TrainingError('TRAIN_REDIS_POLICY', `Redis maxmemory-policy is '${policy}'; BullMQ needs 'noeviction'`, { field: 'maxmemory-policy', policy });
  }
}
