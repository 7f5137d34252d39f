import type { DecodedBlob } from '../blobs/blob-codec.js';
import { TrainingError } from '../errors.js';

/** Cuts a meta-batch (task indices) into shards of at most `shardSize` tasks, in order. */
export function planShards(batch: readonly number[], shardSize: number): number[][] {
  if (!Number.isInteger(shardSize) || shardSize < 1) {
    throw new TrainingError('TRAIN_OPTIONS_INVALID', 'shardSize must be a positive integer', { field: 'shardSize' });
  }
  const shards: number[][] = [];
  for (let i = 0; i < batch.length; i += shardSize) {
    shards.push(batch.slice(i, i + shardSize));
  }
  return shards;
}

/**
 * How many shards a meta-batch of `batchSize` tasks is cut into. `fixed`: ⌈batch / shardSize⌉,
 * whatever the worker count (1 and N workers add the same shard gradients in the same order).
 * `live-workers`: one shard per live worker slot (so one worker computes the whole batch stacked,
 * with no per-shard overhead), but never fewer than `fixed` gives (`shardSize` bounds a shard's
 * memory) nor more than one per task.
 */
export function shardCountFor(batchSize: number, shardSize: number, sharding: 'fixed' | 'live-workers', liveSlots: number): number {
  const minimum = Math.ceil(batchSize / shardSize);
  return sharding === 'fixed' ? minimum : Math.max(minimum, Math.min(liveSlots, batchSize));
}

/** Cuts a meta-batch into `count` contiguous shards whose sizes differ by at most one (larger first). */
export function planShardsEvenly(batch: readonly number[], count: number): number[][] {
  if (!Number.isInteger(count) || count < 1 || count > Math.max(1, batch.length)) {
    throw new TrainingError('TRAIN_OPTIONS_INVALID', `shard count must be an integer in [1, ${batch.length}]`, { field: 'shards' });
  }
  const base = Math.floor(batch.length / count);
  const extra = batch.length % count;
  const shards: number[][] = [];
  let at = 0;
  for (let k = 0; k < count; k++) {
    const size = base + (k < extra ? 1 : 0);
    shards.push(batch.slice(at, at + size));
    at += size;
  }
  return shards;
}

/**
 * The meta-batch's mean gradient and loss from shard means, weighted by task count
 * (Σ nᵢ·gᵢ / Σ nᵢ, accumulated in float64): equals the mean over all tasks up to float
 * summation order.
 */
export function aggregateShards(shards: readonly DecodedBlob[]): { gradient: Float32Array; loss: number; taskCount: number } {
  if (shards.length === 0) {
    throw new TrainingError('TRAIN_OPTIONS_INVALID', 'aggregateShards needs at least one shard', { field: 'shards' });
  }
  if (shards.length === 1) {
    // n·g / n is exact in float64, so this equals the general path bit for bit, without its 3 arrays.
    return { gradient: shards[0].values, loss: shards[0].loss, taskCount: shards[0].taskCount };
  }
  const n = shards[0].values.length;
  const acc = new Float64Array(n);
  let total = 0;
  let loss = 0;
  for (const s of shards) {
    if (s.values.length !== n) {
      throw new TrainingError('TRAIN_BLOB_CORRUPT', `shard gradients differ in length (${s.values.length} vs ${n})`, { field: 'gradient' });
    }
    for (let i = 0; i < n; i++) {
      acc[i] += s.taskCount * s.values[i];
    }
    total += s.taskCount;
    loss += s.taskCount * s.loss;
  }
  const gradient = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    gradient[i] = acc[i] / total;
  }
  return { gradient, loss: loss / total, taskCount: total };
}
