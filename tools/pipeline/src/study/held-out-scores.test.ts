import { ratingScaleOf } from '@metarec/datasets';
import { evaluateHeldOut, userTaskSplit } from '@metarec/evaluation';
import { createMetaModel, initParams, selectBackend } from '@metarec/meta-learning';
import { beforeAll, describe, expect, it } from 'vitest';

import { baselineMae, maeOf, modelMae, modelScores } from './held-out-scores.js';
import { studyTasks } from './study-tasks.js';

describe('held-out scores', () => {
  beforeAll(async () => {
    await selectBackend({ preferred: 'cpu' });
  });

  const world = studyTasks({ users: 80, items: 40, interactionsPerUser: { min: 14, max: 20 } });

  it("gives the trainer's figures for the model and the shared baselines, to the last bit", async () => {
    const model = createMetaModel(world.featureLayout, { embeddingDim: 4, hidden: [8], outputOffset: 3.5 });
    const params = initParams(model);
    const update = { steps: 2, lr: 0.05, shrinkage: 0 };
    const split = userTaskSplit(world.train, world.test);
    const ratingScale = ratingScaleOf(world.dataset);
    const trainer = await evaluateHeldOut({ model, params, train: world.train, heldOut: world.test, ratingScale, adaptSteps: update.steps, adaptLr: update.lr });
    const baselines = await baselineMae(split, ratingScale);
    expect(world.test.length).toBeGreaterThan(3);
    expect(Object.keys(baselines)).toEqual(['globalMean', 'userMean', 'itemMean', 'bias']);
    expect([baselines.globalMean, baselines.userMean, baselines.itemMean]).toStrictEqual([trainer.baselines.globalMean.mae, trainer.baselines.userMean.mae, trainer.baselines.itemMean.mae]);
    expect(maeOf(await modelScores(model, params, split, update, ratingScale), ratingScale)).toBe(trainer.model.mae);
    expect(modelMae(model, params, world.test, update)).toBe(trainer.model.mae);
  });
});
