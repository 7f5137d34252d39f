import { parseRunSpec, type RunSpec, type RunSpecInput } from '../spec/run-spec.js';

/**
 * A run small enough for integration tests (a few hundred ms per step on wasm): 24 synthetic
 * training users, 8 validation, 8 test, a 2-field layout, a [16] MLP, 4 tasks per shard.
 */
export function tinyRunSpec(outputDir: string, overrides: Partial<RunSpecInput> = {}): RunSpec {
  return parseRunSpec({
    name: 'tiny',
    data: { kind: 'synthetic-tasks', trainTasks: 24, validationTasks: 8, testTasks: 8, support: 6, query: 6, userFields: 2, itemFields: 2, cardinality: 40, seed: 3 },
    model: { embeddingDim: 8, hidden: [16], activation: 'softplus' },
    algorithm: 'maml',
    inner: { steps: 2, lr: 0.05, l2: 0 },
    outer: { lr: 0.01 },
    metaBatchSize: 8,
    shardSize: 4,
    epochs: 2,
    seed: 11,
    checkpointEvery: 2,
    attempts: 2,
    backoffMs: 100,
    output: { dir: outputDir },
    ...overrides,
  });
}
