import { describe, expect, it } from 'vitest';

import type { Dataset } from '@metarec/datasets';
import { SeededRng } from '@metarec/meta-learning';

import { buildColdStartSplit } from '../protocol/cold-start-split.js';
import { validationMae } from '../recommender/tuned-recommender.js';
import { syntheticRatingsTable } from '../testing.js';
import { GlobalNetRecommender } from './global-net-recommender.js';
import { MetaRecommender } from './meta-recommender.js';
import { resplitTask } from './neural-training.js';
import { datasetRowEncoder } from './row-encoder.js';

const table = syntheticRatingsTable({ users: 60, items: 80, ratingsPerUser: [20, 40], seed: 9 });
const genres = ['Drama', 'Comedy', 'Action'];
const dataset: Dataset = {
  users: Array.from({ length: table.userCount }, (_, u) => ({ user_id: `u${u}`, age_bucket: String(u % 3), gender: u % 2 ? 'F' : 'M', occupation: 'x', region: '1', updated_at_ms: 0 })),
  items: Array.from({ length: table.itemCount }, (_, i) => ({ item_id: `i${i}`, title: '', categories: [genres[i % 3]], release_year: 1990 + (i % 9), numeric_attributes: {}, updated_at_ms: 0 })),
  interactions: { count: 0, userRows: new Int32Array(0), itemRows: new Int32Array(0), eventTypes: new Uint8Array(0), values: new Float32Array(0), timestampsMs: new Float64Array(0) },
};
const split = buildColdStartSplit(table, 0);
const small = { embeddingDim: 4, hidden: [8], includeItemId: true };

describe('neural recommenders (tiny)', () => {
  it('re-splits a training task from its support set only', () => {
    const enc = datasetRowEncoder(dataset, split.training, { includeItemId: true });
    const task = split.scenarios.warm[0];
    const ep = resplitTask(task, enc, new SeededRng(1));
    expect(ep).not.toBeNull();
    expect((ep?.support.count ?? 0) + (ep?.query.count ?? 0)).toBe(task.supportItems.length);
    expect(ep?.query.count).toBe(Math.min(10, Math.floor(task.supportItems.length / 2)));
  });

  it('global net trains (loss falls) and fine-tune picks a step size on training users', async () => {
    const rec = new GlobalNetRecommender({ dataset, model: small, training: { epochs: 3, batchSize: 128, lr: 2e-2 }, fineTune: true, fineTuneSteps: 2, lrGrid: [1e-3, 1e-2] });
    const report = await rec.fit(split.training, { seed: 0 });
    const losses = report.losses ?? [];
    expect(losses[losses.length - 1]).toBeLessThan(losses[0]);
    expect([1e-3, 1e-2]).toContain(report.chosen?.['fineTuneLr']);
    const mae = await validationMae(rec, split.scenarios.new_user.slice(0, 3));
    expect(mae).toBeGreaterThan(0);
    expect(mae).toBeLessThan(2);
    rec.dispose();
  });

  it('a FOMAML meta-learner with pre-training fits and scores every scenario with finite ratings', async () => {
    const rec = new MetaRecommender({ dataset, name: 'fomaml', model: small, meta: { algorithm: 'fomaml', epochs: 2, pretrainEpochs: 1, metaBatch: 8, innerSteps: 2 } });
    const report = await rec.fit(split.training, { seed: 0 });
    expect(report.losses?.length).toBe(2);
    const t = split.scenarios.new_user[0];
    const p = await rec.predict(t.user, { items: t.supportItems, ratings: t.supportRatings }, t.queryItems);
    expect(p.length).toBe(t.queryItems.length);
    expect(p.every((v) => Number.isFinite(v))).toBe(true);
    rec.dispose();
  });
});
