import { describe, expect, it } from 'vitest';

import { createSyntheticTasks, syntheticLayout } from '../testing/synthetic-tasks.js';
import { initParams } from './init-params.js';
import { createMetaModel } from './meta-model.js';

describe('createMetaModel', () => {
  it('lays out the MeLU benchmark size: 8 fields × 1,000 ids, d 32, MLP 256→64→64→1', () => {
    const model = createMetaModel(syntheticLayout());
    expect(model.inputDim).toBe(256);
    expect(model.layout.entries.map((e) => [e.name, e.shape])).toEqual([
      ['emb/categorical', [8000, 32]],
      ['mlp/w0', [256, 64]],
      ['mlp/b0', [64]],
      ['mlp/w1', [64, 64]],
      ['mlp/b1', [64]],
      ['mlp/w2', [64, 1]],
      ['mlp/b2', [1]],
    ]);
    expect(model.adaptedNames).toEqual(model.decisionNames);
  });

  it('adds categories, numeric projection, Meta-SGD rates (not for the shared table) and adapts all when asked', () => {
    const layout = syntheticLayout({ userFields: 1, itemFields: 1, cardinality: 3, categoryCount: 4, numericCount: 2 });
    const model = createMetaModel(layout, { embeddingDim: 2, hidden: [3], adapt: 'all', metaSgd: true });
    expect(model.inputDim).toBe(2 * 4);
    expect(model.lrNames).toEqual(['lr/emb/categories', 'lr/num/w', 'lr/num/b', 'lr/mlp/w0', 'lr/mlp/b0', 'lr/mlp/w1', 'lr/mlp/b1']);
    expect(model.adaptedNames[0]).toBe('emb/categorical');
  });

  it('rejects invalid configs with ML_CONFIG_INVALID naming the field', () => {
    expect(() => createMetaModel(syntheticLayout(), { hidden: [] })).toThrow(/ModelConfig.hidden/);
    expect(() => createMetaModel(syntheticLayout(), { embeddingDim: 0 })).toThrow(expect.objectContaining({ code: 'ML_CONFIG_INVALID' }));
  });
});

describe('determinism', () => {
  it('initParams: same seed → same bytes, other seed → different; torch-like scales', () => {
    const model = createMetaModel(syntheticLayout({ cardinality: 50 }));
    const a = initParams(model, 1);
    expect(Buffer.from(a.buffer).equals(Buffer.from(initParams(model, 1).buffer))).toBe(true);
    expect(Buffer.from(a.buffer).equals(Buffer.from(initParams(model, 2).buffer))).toBe(false);
    const w0 = model.layout.entries[1];
    const bound = 1 / Math.sqrt(256);
    expect(a.subarray(w0.offset, w0.offset + w0.size).every((v) => Math.abs(v) <= bound)).toBe(true);
  });

  it('createSyntheticTasks is a pure function of its seed', () => {
    const layout = syntheticLayout({ cardinality: 20, categoryCount: 3, numericCount: 1 });
    const a = createSyntheticTasks(layout, { tasks: 3, support: 4, query: 2, seed: 9, labels: 'planted' });
    const b = createSyntheticTasks(layout, { tasks: 3, support: 4, query: 2, seed: 9, labels: 'planted' });
    expect(b).toEqual(a);
  });
});
