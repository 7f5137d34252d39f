import type { Redis } from 'ioredis';

import { TrainingError } from '../errors.js';
import { trainingKeys } from '../blobs/training-keys.js';
import type { TrainingLogger } from './training-worker.js';

/** Options of {@link WorkerPresence}. */
export interface WorkerPresenceOptions {
  readonly redis: Redis;
  /** Unique per worker process (e.g. pod name + pid). */
  readonly workerId: string;
  /** Shard jobs this worker computes at once (its BullMQ concurrency). */
  readonly slots: number;
  readonly logger: TrainingLogger;
  /** Heartbeat period, ms. @defaultValue 5_000 */
  readonly heartbeatMs?: number;
  /** A worker not heard from for this long is not live, ms (3 missed beats). @defaultValue 15_000 */
  readonly ttlMs?: number;
}

/** Defaults of {@link WorkerPresenceOptions}. */
export const DEFAULT_WORKER_PRESENCE = { heartbeatMs: 5_000, ttlMs: 15_000 } as const;

/**
 * A shard worker announcing itself in Redis (a sorted set of worker ids scored by the time their
 * announcement expires, and a hash of their slots), so a coordinator with `sharding: 'live-workers'`
 * cuts each meta-batch into as many shards as there are slots to compute them. A heartbeat, not
 * BullMQ's CLIENT LIST: managed Redis services often refuse CLIENT SETNAME/LIST, and a worker
 * must say how many jobs it takes at once. A killed worker drops out after `ttlMs`.
 */
export class WorkerPresence {
  private readonly o: WorkerPresenceOptions & { readonly heartbeatMs: number; readonly ttlMs: number };
  private timer: NodeJS.Timeout | null = null;
  private first: Promise<void> | null = null;

  /** @throws TrainingError `TRAIN_OPTIONS_INVALID`. */
  constructor(options: WorkerPresenceOptions) {
    this.o = { ...DEFAULT_WORKER_PRESENCE, ...options };
    if (!Number.isInteger(this.o.slots) || this.o.slots < 1) {
      throw new TrainingError('TRAIN_OPTIONS_INVALID', 'WorkerPresence.slots must be a positive integer', { field: 'slots' });
    }
    if (!(this.o.ttlMs > this.o.heartbeatMs)) {
      throw new TrainingError('TRAIN_OPTIONS_INVALID', 'WorkerPresence.ttlMs must exceed heartbeatMs', { field: 'ttlMs' });
    }
  }

  /** Announces the worker now and every `heartbeatMs`; resolves when the first announcement is stored. */
  start(): Promise<void> {
    if (this.first === null) {
      this.first = this.beat();
      this.timer = setInterval(() => {
        this.beat().catch((error: unknown) => this.o.logger.warn({ workerId: this.o.workerId, err: String(error) }, 'worker heartbeat failed; retrying on the next beat'));
      }, this.o.heartbeatMs);
      this.timer.unref();
    }
    return this.first;
  }

  /** Stops the heartbeat and withdraws the announcement (coordinators stop counting this worker at once). */
  async stop(): Promise<void> {
    if (this.timer !== null) {
      clearInterval(this.timer);
      this.timer = null;
    }
    await this.o.redis.multi().zrem(trainingKeys.workers(), this.o.workerId).hdel(trainingKeys.workerSlots(), this.o.workerId).exec();
  }

  private async beat(): Promise<void> {
    await this.o.redis
      .multi()
      .zadd(trainingKeys.workers(), Date.now() + this.o.ttlMs, this.o.workerId)
      .hset(trainingKeys.workerSlots(), this.o.workerId, String(this.o.slots))
      .exec();
  }
}

/**
 * Sum of the slots of the workers whose announcement has not expired (one round trip; expired
 * entries are pruned in the same transaction).
 */
export async function liveWorkerSlots(redis: Redis, nowMs = Date.now()): Promise<number> {
  const replies = await redis
    .multi()
    .zremrangebyscore(trainingKeys.workers(), '-inf', nowMs)
    .zrangebyscore(trainingKeys.workers(), nowMs, '+inf')
    .hgetall(trainingKeys.workerSlots())
    .exec();
  const live = (replies?.[1]?.[1] ?? []) as string[];
  const slots = (replies?.[2]?.[1] ?? {}) as Record<string, string>;
  let total = 0;
  for (const id of live) {
    const n = Number(slots[id] ?? '1');
    total += Number.isInteger(n) && n > 0 ? n : 1;
  }
  return total;
}
