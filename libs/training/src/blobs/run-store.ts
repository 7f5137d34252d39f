import type { Redis } from 'ioredis';

import { TrainingError } from '../errors.js';
import { parseRunSpec, type RunSpec } from '../spec/run-spec.js';
import { decodeBlob, encodeBlob, type DecodedBlob } from './blob-codec.js';
import { trainingKeys } from './training-keys.js';

/** Options of {@link RunStore}. */
export interface RunStoreOptions {
  /** A connected client; the store never quits it. */
  readonly redis: Redis;
  /**
   * Lifetime of parameter and gradient blobs, ms: long enough for a slow step plus retries,
   * short enough that an abandoned run's blobs go away. @defaultValue 21_600_000 (6 h)
   */
  readonly blobTtlMs?: number;
  /** Lifetime of a run's spec and status, ms. @defaultValue 604_800_000 (7 days) */
  readonly metaTtlMs?: number;
}

/** Defaults of {@link RunStoreOptions}. */
export const DEFAULT_RUN_STORE_OPTIONS = { blobTtlMs: 6 * 3_600_000, metaTtlMs: 7 * 86_400_000 } as const;

/**
 * A run's data in Redis: spec, status, parameters per step and accepted shard gradients, as
 * binary blobs (never inside job data). Keys come from {@link trainingKeys} only.
 */
export class RunStore {
  private readonly redis: Redis;
  private readonly blobTtlMs: number;
  private readonly metaTtlMs: number;

  /** @throws TrainingError `TRAIN_OPTIONS_INVALID`. */
  constructor(options: RunStoreOptions) {
    const o = { ...DEFAULT_RUN_STORE_OPTIONS, ...options };
    for (const field of ['blobTtlMs', 'metaTtlMs'] as const) {
      if (!Number.isSafeInteger(o[field]) || o[field] < 1000) {
        throw new TrainingError('TRAIN_OPTIONS_INVALID', `RunStoreOptions.${field} must be an integer >= 1000 ms`, { field });
      }
    }
    this.redis = o.redis;
    this.blobTtlMs = o.blobTtlMs;
    this.metaTtlMs = o.metaTtlMs;
  }

  async putSpec(runId: string, spec: RunSpec): Promise<void> {
    await this.redis.set(trainingKeys.spec(runId), JSON.stringify(spec), 'PX', this.metaTtlMs);
  }

  /** Stores the spec unless present (after a Redis restart that lost the last second of writes). */
  async ensureSpec(runId: string, spec: RunSpec): Promise<void> {
    await this.redis.set(trainingKeys.spec(runId), JSON.stringify(spec), 'PX', this.metaTtlMs, 'NX');
  }

  /** @throws TrainingError `TRAIN_RUN_NOT_FOUND`, `TRAIN_SPEC_INVALID`. */
  async getSpec(runId: string): Promise<RunSpec> {
    const text = await this.redis.get(trainingKeys.spec(runId));
    if (text === null) {
      throw new TrainingError('TRAIN_RUN_NOT_FOUND', `no spec stored for run ${runId}`, { runId });
    }
    return parseRunSpec(JSON.parse(text) as unknown);
  }

  /** Publishes the parameters that are the input of `step` (overwrites: same step, same bytes). */
  async publishParams(runId: string, step: number, params: Float32Array): Promise<number> {
    const bytes = encodeBlob({ kind: 'params', values: params, taskCount: 0, loss: 0 });
    await this.redis.set(trainingKeys.params(runId, step), bytes, 'PX', this.blobTtlMs);
    return bytes.length;
  }

  async hasParams(runId: string, step: number): Promise<boolean> {
    return (await this.redis.exists(trainingKeys.params(runId, step))) === 1;
  }

  /** @throws TrainingError `TRAIN_BLOB_MISSING`, `TRAIN_BLOB_CORRUPT`. */
  async getParams(runId: string, step: number): Promise<Float32Array> {
    return (await this.read('params', trainingKeys.params(runId, step))).values;
  }

  /**
   * Stores a shard's gradient unless one is already stored for (run, step, shard): the first
   * result wins and a late or repeated one (a retried or stalled-and-rerun job) is ignored.
   * @returns true when this call's result was accepted.
   */
  async acceptGradient(runId: string, step: number, shard: number, gradient: Float32Array, taskCount: number, loss: number): Promise<boolean> {
    return (await this.storeGradient(runId, step, shard, gradient, taskCount, loss)).accepted;
  }

  /**
   * {@link acceptGradient}, also telling the stored blob's size. In the same round trip, announces
   * the shard on {@link trainingKeys.shardDone} (also when ignored: the announcement only wakes the
   * coordinator, which reads the key).
   */
  async storeGradient(runId: string, step: number, shard: number, gradient: Float32Array, taskCount: number, loss: number): Promise<{ accepted: boolean; bytes: number }> {
    const bytes = encodeBlob({ kind: 'gradient', values: gradient, taskCount, loss });
    const replies = await this.redis
      .pipeline()
      .set(trainingKeys.gradient(runId, step, shard), bytes, 'PX', this.blobTtlMs, 'NX')
      .publish(trainingKeys.shardDone(runId), `${step}:${shard}`)
      .exec();
    const [error, reply] = replies?.[0] ?? [new Error('empty pipeline reply'), null];
    if (error !== null) {
      throw error;
    }
    return { accepted: reply === 'OK', bytes: bytes.length };
  }

  /** The accepted gradient of a shard, or null when none is stored yet. @throws TrainingError `TRAIN_BLOB_CORRUPT`. */
  async getGradient(runId: string, step: number, shard: number): Promise<DecodedBlob | null> {
    const key = trainingKeys.gradient(runId, step, shard);
    const bytes = await this.redis.getBuffer(key);
    return bytes === null ? null : decodeBlob(bytes, 'gradient', key);
  }

  /**
   * The accepted gradients of `shards` (null where none is stored yet), in one round trip.
   * @throws TrainingError `TRAIN_BLOB_CORRUPT`; the Redis error of a failed read.
   */
  async getGradients(runId: string, step: number, shards: readonly number[]): Promise<Array<DecodedBlob | null>> {
    if (shards.length === 0) {
      return [];
    }
    const keys = shards.map((s) => trainingKeys.gradient(runId, step, s));
    const pipeline = this.redis.pipeline();
    for (const key of keys) {
      pipeline.getBuffer(key);
    }
    const replies = (await pipeline.exec()) ?? [];
    return keys.map((key, i) => {
      const [error, value] = replies[i] ?? [new Error(`no reply for ${key}`), null];
      if (error !== null) {
        throw error;
      }
      return value === null ? null : decodeBlob(value as Buffer, 'gradient', key);
    });
  }

  /** Whether a shard has an accepted gradient (without reading it). */
  async hasGradient(runId: string, step: number, shard: number): Promise<boolean> {
    return (await this.redis.exists(trainingKeys.gradient(runId, step, shard))) === 1;
  }

  /** Which of `shards` have an accepted gradient (one round trip). */
  async presentGradients(runId: string, step: number, shards: number): Promise<boolean[]> {
    const pipeline = this.redis.pipeline();
    for (let s = 0; s < shards; s++) {
      pipeline.exists(trainingKeys.gradient(runId, step, s));
    }
    const replies = (await pipeline.exec()) ?? [];
    return replies.map(([error, value]) => error === null && value === 1);
  }

  /**
   * Fixes the shard count of `step`'s plan: stores `proposed` unless a count is stored already
   * (a restarted coordinator), and returns the stored one.
   */
  async fixShardCount(runId: string, step: number, proposed: number): Promise<number> {
    const previous = (await this.redis.call('SET', trainingKeys.shardCount(runId, step), String(proposed), 'PX', String(this.blobTtlMs), 'NX', 'GET')) as string | null;
    if (previous === null) {
      return proposed;
    }
    const n = Number(previous);
    if (!Number.isInteger(n) || n < 1) {
      throw new TrainingError('TRAIN_BLOB_CORRUPT', `shard count of step ${step} is not a positive integer: ${previous}`, { key: trainingKeys.shardCount(runId, step) });
    }
    return n;
  }

  /** Drops a finished step's blobs and plan (the checkpoint and the next step's parameters hold the state). */
  async deleteStep(runId: string, step: number, shards: number): Promise<void> {
    const keys = [trainingKeys.params(runId, step), trainingKeys.shardCount(runId, step), ...Array.from({ length: shards }, (_, s) => trainingKeys.gradient(runId, step, s))];
    await this.redis.del(...keys);
  }

  /**
   * Writes the run's status JSON (small; see `RunStatus`) and indexes the run (see
   * {@link trainingKeys.runIndex}); index entries older than the status lifetime are trimmed on the way.
   */
  async putStatus(runId: string, status: unknown, nowMs: number = Date.now()): Promise<void> {
    const replies = await this.redis
      .multi()
      .set(trainingKeys.status(runId), JSON.stringify(status), 'PX', this.metaTtlMs)
      .zadd(trainingKeys.runIndex(), nowMs, runId)
      .zremrangebyscore(trainingKeys.runIndex(), '-inf', nowMs - this.metaTtlMs)
      .exec();
    const failed = replies?.find(([error]) => error !== null)?.[0];
    if (failed) {
      throw failed;
    }
  }

  /**
   * Ids of the runs whose status was written most recently, newest first (at most `limit`). A run
   * whose status expired may still be listed until the next write trims it: read its status and skip a null.
   */
  async recentRunIds(limit: number): Promise<string[]> {
    return this.redis.zrevrange(trainingKeys.runIndex(), 0, Math.max(0, limit - 1));
  }

  /** The run's status JSON, or null. */
  async getStatus(runId: string): Promise<unknown> {
    const text = await this.redis.get(trainingKeys.status(runId));
    return text === null ? null : (JSON.parse(text) as unknown);
  }

  private async read(kind: 'params' | 'gradient', key: string): Promise<DecodedBlob> {
    const bytes = await this.redis.getBuffer(key);
    if (bytes === null) {
      throw new TrainingError('TRAIN_BLOB_MISSING', `blob ${key} is missing (expired, or lost with a Redis restart)`, { key });
    }
    return decodeBlob(bytes, kind, key);
  }
}
