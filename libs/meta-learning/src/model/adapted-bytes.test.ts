import { describe, expect, it } from 'vitest';

import { syntheticLayout } from '../testing/synthetic-tasks.js';
import { adaptedTensorBytes } from './adapted-bytes.js';
import { createMetaModel } from './meta-model.js';

describe('adaptedTensorBytes', () => {
  it('counts the decision layers (weights and biases) in float32 bytes, never the embedding table', () => {
    const layout = syntheticLayout({ userFields: 2, itemFields: 2, cardinality: 30 });
    const decision = createMetaModel(layout, { embeddingDim: 4, hidden: [8] });
    // Input 4 fields × 4 = 16 → 8 → 1: (16·8 + 8) + (8·1 + 1) = 145 floats.
    expect(adaptedTensorBytes(decision)).toBe(4 * 145);
    // Whole-model adaptation adapts the table too, but its rows live on the host.
    const all = createMetaModel(layout, { embeddingDim: 4, hidden: [8], adapt: 'all' });
    expect(adaptedTensorBytes(all)).toBeGreaterThanOrEqual(4 * 145);
    expect(adaptedTensorBytes(all)).toBeLessThan(4 * (145 + 30 * 4));
  });
});
