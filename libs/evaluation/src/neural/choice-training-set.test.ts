import { describe, expect, it } from 'vitest';

import { SeededRng } from '@metarec/runtime';
import type { EvalTask } from '../protocol/eval-task.js';
import { trainingSetFromTasks } from '../protocol/eval-task.js';
import { choiceSupport, choiceTrainingSet, knownItems, sampleUnrated } from './choice-training-set.js';

function task(user: number, items: number[]): EvalTask {
  return {
    scenario: 'warm',
    user,
    supportItems: Int32Array.from(items),
    supportRatings: Float32Array.from(items, () => 2),
    queryItems: new Int32Array(0),
    queryRatings: new Float32Array(0),
    negatives: new Int32Array(0),
  };
}

describe('choiceTrainingSet', () => {
  const train = trainingSetFromTasks([task(0, [0, 1, 2]), task(1, [2, 3, 4, 5]), task(2, [6, 7])], 3, 12);

  it('labels rated items 1 and adds as many unrated known items labelled 0', () => {
    const choice = choiceTrainingSet(train, 1, 4);
    for (const [k, t] of choice.tasks.entries()) {
      const own = new Set(train.tasks[k].supportItems);
      const n = own.size;
      expect(t.supportItems.length).toBe(2 * n);
      expect(Array.from(t.supportRatings.subarray(0, n))).toEqual(Array(n).fill(1));
      expect(Array.from(t.supportRatings.subarray(n))).toEqual(Array(n).fill(0));
      const negatives = Array.from(t.supportItems.subarray(n));
      expect(negatives.some((i) => own.has(i))).toBe(false);
      // Items 8–11 have no training interaction: they are never sampled (they would be new items).
      expect(negatives.every((i) => i <= 7)).toBe(true);
      expect(new Set(negatives).size).toBe(negatives.length);
    }
    expect(Array.from(knownItems(train))).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('is deterministic in its seed and scales the negatives with the ratio', () => {
    expect(choiceTrainingSet(train, 1, 4).items).toEqual(choiceTrainingSet(train, 1, 4).items);
    const support = choiceSupport({ items: Int32Array.from([0, 1]), ratings: Float32Array.from([5, 1]) }, knownItems(train), 2, new SeededRng(1));
    expect(support.items.length).toBe(6);
  });

  it('returns fewer negatives when the pool runs out instead of looping', () => {
    const got = sampleUnrated(Int32Array.from([0, 1, 2]), new Set([0, 1]), 5, new SeededRng(2));
    expect(Array.from(got)).toEqual([2]);
  });
});
