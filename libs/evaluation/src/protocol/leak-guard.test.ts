import { describe, expect, it } from 'vitest';

import { EvalLeakError } from '../errors.js';
import { syntheticRatingsTable } from '../testing.js';
import { buildColdStartSplit } from './cold-start-split.js';
import { trainingSetFromTasks } from './eval-task.js';
import { assertNoLeak } from './leak-guard.js';
import { ALL_SCENARIOS } from './scenario.js';

const table = syntheticRatingsTable({ users: 100, items: 150, seed: 5 });
const split = buildColdStartSplit(table, 1);
const allTasks = ALL_SCENARIOS.flatMap((s) => split.scenarios[s]);

function withExtraRow(user: number, item: number): { itemCount: number; users: Int32Array; items: Int32Array } {
  return {
    itemCount: split.training.itemCount,
    users: Int32Array.from([...split.training.users, user]),
    items: Int32Array.from([...split.training.items, item]),
  };
}

describe('assertNoLeak', () => {
  it('accepts the protocol split', () => {
    expect(() => assertNoLeak(split.training, allTasks)).not.toThrow();
  });

  it('catches a warm query rating planted in the training rows', () => {
    const t = split.scenarios.warm[0];
    const leaky = withExtraRow(t.user, t.queryItems[3]);
    expect(() => assertNoLeak(leaky, allTasks)).toThrow(EvalLeakError);
    expect(() => assertNoLeak(leaky, allTasks)).toThrow(/query rating is in the training rows/);
  });

  it('catches a training set built from the full warm tasks (support + query)', () => {
    const full = split.scenarios.warm.map((t) => ({
      ...t,
      supportItems: Int32Array.from([...t.supportItems, ...t.queryItems]),
      supportRatings: Float32Array.from([...t.supportRatings, ...t.queryRatings]),
    }));
    const leaky = trainingSetFromTasks(full, table.userCount, table.itemCount);
    expect(() => assertNoLeak(leaky, allTasks)).toThrow(expect.objectContaining({ code: 'EVAL_LEAK_DETECTED' }));
  });

  it('catches a new user with training rows and a new item with training rows', () => {
    const nu = split.scenarios.new_user[0];
    expect(() => assertNoLeak(withExtraRow(nu.user, nu.supportItems[0]), allTasks)).toThrow(/new user has training rows/);
    const ni = split.scenarios.new_item[0];
    const other = split.scenarios.warm.find((t) => t.user !== ni.user);
    expect(other).toBeDefined();
    expect(() => assertNoLeak(withExtraRow(other?.user ?? 0, ni.queryItems[0]), split.scenarios.new_item)).toThrow(/new item has training rows/);
  });

  it('catches a query item that is also in the support set', () => {
    const t = split.scenarios.new_user[0];
    const bad = { ...t, supportItems: Int32Array.from([...t.supportItems, t.queryItems[0]]) };
    expect(() => assertNoLeak(split.training, [bad])).toThrow(/also in the support set/);
  });
});
