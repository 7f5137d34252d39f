import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { topK } from './rank.js';

/** The definition: a stable sort of all candidates by score, descending, cut at k. */
function reference(ids: readonly string[], scores: Float32Array, k: number): { itemId: string; score: number }[] {
  return ids
    .map((itemId, i) => ({ itemId, score: scores[i], i }))
    .sort((a, b) => b.score - a.score || a.i - b.i)
    .slice(0, k)
    .map(({ itemId, score }) => ({ itemId, score }));
}

describe('topK', () => {
  it('equals a stable full sort cut at k (ties keep candidate order)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 60 }), fc.integer({ min: 1, max: 70 }), (values, k) => {
        const ids = values.map((_, i) => `i${i}`);
        const scores = Float32Array.from(values);
        expect(topK(ids, scores, k)).toEqual(reference(ids, scores, k));
      }),
    );
  });

  it('ranks a NaN score last instead of letting it block better ones', () => {
    const result = topK(['a', 'b', 'c'], Float32Array.from([Number.NaN, 1, 2]), 2);
    expect(result.map((r) => r.itemId)).toEqual(['c', 'b']);
  });
});
