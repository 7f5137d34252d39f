import {
  adaptAndPredict,
  baselineFactory,
  buildColdStartSplit,
  evaluateHeldOut,
  runEvaluation,
  tableRatingScale,
  type EvalTask,
  type HeldOutMetrics,
  type Recommender,
  type RecommenderFactory,
  type SupportSet,
} from '@metarec/evaluation';
import { syntheticRatingsTable } from '@metarec/evaluation/testing';
import { createMetaModel, initParams, loadParams, selectBackend, type MetaModel } from '@metarec/meta-learning';
import type { EncodedRows, FeatureLayout, UserTask } from '@metarec/schemas';
import { beforeAll, describe, expect, it } from 'vitest';

import { tinyRunSpec } from '../testing/tiny-run-spec.js';
import { bundleMetricsOf, HELD_OUT_SCENARIO } from './register-run.js';
import type { RunLineage } from './run-output.js';

// The same split seen twice: as metarec-eval's index-based tasks (runEvaluation) and as a training
// run's encoded UserTasks (evaluateHeldOut → lineage → the registry metrics the promotion gate reads).
const SEED = 3;
const table = syntheticRatingsTable({ users: 60, items: 90, ratingsPerUser: [15, 40], seed: 5 });
const split = buildColdStartSplit(table, SEED);
const layout: FeatureLayout = {
  userFields: [{ name: 'user_id', cardinality: table.userCount + 1 }],
  itemFields: [{ name: 'item_id', cardinality: table.itemCount + 1 }],
  categoryCount: 0,
  numericCount: 0,
};
const update = { steps: 2, lr: 0.05, shrinkage: 0 };

/** Model rows of `user` rating `items`: the index is the feature (0 stays "unknown"). */
function encode(user: number, items: Int32Array, labels: Float32Array = new Float32Array(items.length)): EncodedRows {
  return {
    count: items.length,
    userIndices: new Int32Array(items.length).fill(user + 1),
    itemIndices: Int32Array.from(items, (i) => i + 1),
    itemCategories: new Float32Array(0),
    itemNumeric: new Float32Array(0),
    labels: Float32Array.from(labels),
    itemIds: Array.from(items, String),
  };
}

const toUserTask = (t: EvalTask): UserTask => ({ userId: `u${t.user}`, support: encode(t.user, t.supportItems, t.supportRatings), query: encode(t.user, t.queryItems, t.queryRatings) });

/** The trained model as metarec-eval sees a method: index-based, scoring any items after adapting. */
function modelFactory(model: MetaModel, params: Float32Array): RecommenderFactory {
  return {
    name: 'melu',
    kind: 'meta-learner',
    create: (): Recommender => {
      const base = loadParams(model, params);
      return {
        name: 'melu',
        predictsRatings: true,
        fit: () => ({}),
        predict: (user: number, support: SupportSet, items: Int32Array) => adaptAndPredict(base, encode(user, support.items, support.ratings), encode(user, items), update),
        dispose: () => base.dispose(),
      };
    },
  };
}

describe('held-out metrics: training/gate path vs metarec-eval runner path', () => {
  beforeAll(async () => {
    // The reference backend: a row's prediction does not depend on the other rows of its batch.
    await selectBackend({ preferred: 'cpu' });
  });

  it('gives bit-identical MAE, RMSE, NMAE, NRMSE and nDCG@3 for the model and every baseline on the same split and seed', async () => {
    // Output offset at the top of the 1–5 scale: about half the model's predictions lie above it, so both paths must clip alike.
    const model = createMetaModel(layout, { embeddingDim: 4, hidden: [8], outputOffset: 5 });
    const params = initParams(model, 7);
    const cli = await runEvaluation({
      table,
      datasetName: 'parity',
      methods: [baselineFactory('global_mean'), baselineFactory('user_mean'), baselineFactory('item_mean'), modelFactory(model, params)],
      scenarios: ['new_user'],
      seeds: [SEED],
      supportSizes: [],
      catalogueMetrics: false,
      createdAt: '2026-01-01T00:00:00.000Z',
    });
    const evaluation = await evaluateHeldOut({
      model,
      params,
      // metarec-eval's training rows are the warm tasks' support sets; as UserTasks, their support.
      train: split.training.tasks.map((t) => toUserTask({ ...t, queryItems: new Int32Array(0), queryRatings: new Float32Array(0) })),
      heldOut: split.scenarios.new_user.map(toUserTask),
      adaptSteps: update.steps,
      adaptLr: update.lr,
      adaptShrinkage: update.shrinkage,
      // metarec-eval's scale of this table: recorded, else the observed min..max.
      ratingScale: tableRatingScale(table),
    });
    // bundleMetricsOf reads only these lineage fields.
    const lineage = { evaluation, dataVersion: 'parity', spec: tinyRunSpec('/tmp/parity') } as Pick<RunLineage, 'evaluation' | 'dataVersion' | 'spec'> as RunLineage;
    const gate = bundleMetricsOf(lineage)?.scenarios[HELD_OUT_SCENARIO];
    expect(evaluation.users).toBe(split.scenarios.new_user.length);
    expect(evaluation.users).toBeGreaterThan(5);
    const pairs: Array<[string, HeldOutMetrics]> = [
      ['melu', evaluation.model],
      ['global_mean', evaluation.baselines.globalMean],
      ['user_mean', evaluation.baselines.userMean],
      ['item_mean', evaluation.baselines.itemMean],
    ];
    for (const [method, run] of pairs) {
      const m = cli.perSeed[0].methods[method].scenarios.new_user?.metrics;
      const expected = { mae: m?.mae, rmse: m?.rmse, nmae: m?.nmae, nrmse: m?.nrmse, ndcg: m?.ndcg3 };
      // toStrictEqual on numbers is Object.is: equal to the last bit. The list metrics rank against
      // negatives each path samples its own way, so only their presence is compared.
      expect({ method, mae: run.mae, rmse: run.rmse, nmae: run.nmae, nrmse: run.nrmse, ndcg: run.ndcg }).toStrictEqual({ method, ...expected });
      const g = gate?.[method];
      expect({ method, mae: g?.mae, rmse: g?.rmse, nmae: g?.nmae, nrmse: g?.nrmse, 'ndcg@3': g?.['ndcg@3'] }).toStrictEqual({ method, mae: expected.mae, rmse: expected.rmse, nmae: expected.nmae, nrmse: expected.nrmse, 'ndcg@3': expected.ndcg });
      expect(g?.['ndcg10']).toBe(run.ndcg10);
      expect(run.ndcg10).toBeGreaterThan(0);
    }
    // Not a vacuous comparison: the methods differ from one another.
    expect(new Set(pairs.map(([, r]) => r.mae)).size).toBe(4);
  });
});
