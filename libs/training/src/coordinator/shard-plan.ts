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
 * The meta-batch's mean gradient and loss from shard means, weighted by task count
 * (Σ nᵢ·gᵢ / Σ nᵢ, accumulated in float64): equals the mean over all tasks up to float
 * summation order.
 */
export function aggregateShards(shards: readonly DecodedBlob[]): { gradient: Float32Array; loss: number; taskCount: number } {
  if (shards.length === 0) {
    throw new TrainingError('TRAIN_OPTIONS_INVALID', 'aggregateShards needs at least one shard', { field: 'shards' });
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
