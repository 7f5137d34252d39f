import type { SeededRng } from '@metarec/runtime';

/**
 * One epoch's meta-batches: a seeded shuffle of task indices cut into chunks of `metaBatchSize`
 * (the last may be smaller). Only the meta-training loop calls it, for every step executor, so
 * in-process and sharded runs train on the same batches.
 */
export function epochMetaBatches(taskCount: number, metaBatchSize: number, rng: SeededRng): number[][] {
  const order = rng.shuffle(Array.from({ length: taskCount }, (_, i) => i));
  const out: number[][] = [];
  for (let i = 0; i < order.length; i += metaBatchSize) {
    out.push(order.slice(i, i + metaBatchSize));
  }
  return out;
}
