import { describe, expect, it } from 'vitest';

import { generateSynthetic } from '../synthetic/generate-synthetic.js';
import { splitUserTasks } from '../tasks/split-user-tasks.js';
import { EVENT_TYPE_CODE } from './dataset.js';
import type { InteractionColumns } from './dataset.js';
import { implicitFeedbackPairs } from './implicit-feedback.js';

describe('implicitFeedbackPairs', () => {
  it('collapses view/click/purchase of one item into one labelled pair at its first event time', () => {
    const { view, click, rating } = EVENT_TYPE_CODE;
    const columns: InteractionColumns = {
      count: 6,
      userRows: Int32Array.of(1, 0, 1, 1, 0, 0),
      itemRows: Int32Array.of(2, 2, 2, 0, 1, 0),
      eventTypes: Uint8Array.of(view, view, click, view, rating, rating),
      values: Float32Array.of(NaN, NaN, NaN, NaN, 4, 2),
      timestampsMs: Float64Array.of(10, 11, 12, 13, 14, 15),
    };
    const pairs = implicitFeedbackPairs(columns, 2, 3);
    expect(pairs.count).toBe(5);
    expect(Array.from(pairs.userRows)).toEqual([0, 0, 0, 1, 1]);
    expect(Array.from(pairs.itemRows)).toEqual([2, 1, 0, 2, 0]);
    expect(Array.from(pairs.labels)).toEqual([0, 1, 0, 1, 0]);
    expect(Array.from(pairs.timestampsMs)).toEqual([11, 14, 15, 10, 13]);
  });

  it('gives implicit synthetic data tasks whose support and query never share an item', () => {
    const data = generateSynthetic({ seed: 9, users: 200, items: 150, feedback: 'implicit', interactionsPerUser: { min: 15, max: 80 } });
    const pairs = implicitFeedbackPairs(data.interactions, data.users.length, data.items.length);
    const positives = pairs.labels.reduce((a, b) => a + b, 0) / pairs.count;
    expect(positives).toBeGreaterThan(0.05);
    expect(positives).toBeLessThan(0.6);
    const tasks = splitUserTasks(pairs, data.users.map((u) => u.user_id), { maxRatings: 1000 });
    expect(tasks.length).toBeGreaterThan(100);
    for (const task of tasks) {
      const supportItems = new Set(Array.from(task.support, (k) => pairs.itemRows[k]));
      expect(Array.from(task.query).some((k) => supportItems.has(pairs.itemRows[k]))).toBe(false);
    }
  });
});
