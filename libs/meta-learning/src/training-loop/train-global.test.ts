import { describe, expect, it } from 'vitest';

import { initParams } from '../model/init-params.js';
import { createMetaModel } from '../model/meta-model.js';
import { createSyntheticTasks, syntheticLayout } from '../testing/synthetic-tasks.js';
import { trainGlobal } from './train-global.js';

const layout = syntheticLayout({ userFields: 2, itemFields: 2, cardinality: 8, categoryCount: 3, numericCount: 2 });
const train = createSyntheticTasks(layout, { tasks: 48, support: 10, query: 10, seed: 1, labels: 'planted' });
const config = { embeddingDim: 4, hidden: [16, 8], outputOffset: 3, activation: 'relu' } as const;

describe('trainGlobal', () => {
  it('fits the pooled training rows (loss falls) deterministically', () => {
    const model = createMetaModel(layout, config);
    const rows = train.flatMap((t) => [t.support, t.query]);
    const a = trainGlobal(model, initParams(model), rows, { epochs: 3, batchSize: 128, lr: 1e-2 });
    const b = trainGlobal(model, initParams(model), rows, { epochs: 3, batchSize: 128, lr: 1e-2 });
    expect(a.epochLosses[2]).toBeLessThan(a.epochLosses[0]);
    expect(Buffer.from(a.params.buffer).equals(Buffer.from(b.params.buffer))).toBe(true);
  });
});
