import { createMetaModel, initParams, type ItemRows, type MetaModel } from '@metarec/meta-learning';
import { createSyntheticTasks, syntheticLayout } from '@metarec/meta-learning/testing';
import type { UserTask } from '@metarec/schemas';
import type { RunSpecInput } from '@metarec/training';

/** The PyTorch reference's `--bench` problem (melu_ref.py): keep the two in step. */
export const MELU_BENCH = {
  userFields: 4,
  itemFields: 4,
  idsPerField: 1000,
  embeddingDim: 32,
  hidden: [64, 64],
  metaBatch: 32,
  support: 16,
  query: 16,
  innerSteps: 5,
  innerLr: 0.01,
  outerLr: 1e-3,
  clipValue: 10,
  serveSupport: 20,
  serveItems: 1000,
} as const;

/**
 * The trainer's run-spec `data` + `model` + `inner` near the MeLU bench problem: a synthetic world
 * (datasets' generator, as every trainer run's synthetic data) of `trainTasks` users who each rate
 * support + query items out of `idsPerField`, all users in training, MeLU's embedding and MLP sizes.
 * Its feature layout is the world's (4 user attributes; item id, release-year bucket, categories,
 * numerics), not the bench's 4 + 4 id fields, so trainer figures taken before the switch from
 * meta-learning's fixture tasks are not comparable with later ones.
 */
export function meluSyntheticRunSpecParts(trainTasks: number): Pick<RunSpecInput, 'data' | 'model' | 'inner'> {
  const perUser = MELU_BENCH.support + MELU_BENCH.query;
  return {
    data: {
      kind: 'synthetic',
      world: { seed: 1, users: trainTasks, items: MELU_BENCH.idsPerField, interactionsPerUser: { min: perUser, max: perUser } },
      queryCount: MELU_BENCH.query,
      minRatings: perUser,
      maxRatings: perUser,
      validationFraction: 0,
      testFraction: 0,
    },
    model: { embeddingDim: MELU_BENCH.embeddingDim, hidden: [...MELU_BENCH.hidden] },
    inner: { steps: MELU_BENCH.innerSteps, lr: MELU_BENCH.innerLr, l2: 0 },
  };
}

/** The MeLU-size model (fc1 input 8 × 32 = 256) and its initial parameters. */
export function meluBenchModel(seed = 0): { model: MetaModel; params: Float32Array } {
  const layout = syntheticLayout({ userFields: MELU_BENCH.userFields, itemFields: MELU_BENCH.itemFields, cardinality: MELU_BENCH.idsPerField });
  const model = createMetaModel(layout, { embeddingDim: MELU_BENCH.embeddingDim, hidden: [...MELU_BENCH.hidden], initSeed: seed });
  return { model, params: initParams(model) };
}

/** `count` meta-batches of random tasks (random ids, ratings 1–5), as the reference's pool of 8. */
export function metaBatchPool(model: MetaModel, count = 8): UserTask[][] {
  return Array.from({ length: count }, (_, k) =>
    createSyntheticTasks(model.featureLayout, { tasks: MELU_BENCH.metaBatch, support: MELU_BENCH.support, query: MELU_BENCH.query, seed: 100 + k }),
  );
}

/** Serving users (20 support interactions each) and one shared set of candidate items. */
export function servingFixture(model: MetaModel, users: number): { tasks: UserTask[]; items: ItemRows } {
  const tasks = createSyntheticTasks(model.featureLayout, { tasks: users, support: MELU_BENCH.serveSupport, query: 0, seed: 7 });
  const candidates = createSyntheticTasks(model.featureLayout, { tasks: 1, support: MELU_BENCH.serveItems, query: 0, seed: 8 })[0].support;
  return {
    tasks,
    items: { count: candidates.count, itemIndices: candidates.itemIndices, itemCategories: candidates.itemCategories, itemNumeric: candidates.itemNumeric },
  };
}
