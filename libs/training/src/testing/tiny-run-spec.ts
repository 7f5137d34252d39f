import { parseRunSpec, type RunSpec, type RunSpecInput } from '../spec/run-spec.js';

/**
 * A run small enough for integration tests (a few hundred ms per step on wasm): a synthetic world of
 * 48 users × 40 items (12–18 ratings each) cut into 26 training users, 12 validation, 10 test
 * (split seed 2; the user-id hash is lumpy on so few ids), 6 query rows, a [16] MLP, 4 tasks per shard.
 */
export function tinyRunSpec(outputDir: string, overrides: Partial<RunSpecInput> = {}): RunSpec {
  return parseRunSpec({
    name: 'tiny',
    data: {
      kind: 'synthetic',
      world: { seed: 3, users: 48, items: 40, interactionsPerUser: { min: 12, max: 18 } },
      queryCount: 6,
      minRatings: 12,
      maxRatings: 40,
      validationFraction: 0.2,
      testFraction: 0.2,
      splitSeed: 2,
    },
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
