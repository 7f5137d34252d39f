import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import type { TaskInteractions } from './split-user-tasks.js';
import { splitUserTasks } from './split-user-tasks.js';

const USERS = 6;
const userIds = Array.from({ length: USERS }, (_, u) => `u${u}`);

/** Random interactions: per-user counts 0..30, items 0..49, random times. */
const interactionsArb = fc
  .array(fc.tuple(fc.integer({ min: 0, max: USERS - 1 }), fc.integer({ min: 0, max: 49 }), fc.integer({ min: 0, max: 1e6 })), { maxLength: 150 })
  .map((rows): TaskInteractions => ({
    userRows: Int32Array.from(rows, (r) => r[0]),
    itemRows: Int32Array.from(rows, (r) => r[1]),
    labels: Float32Array.from(rows, (r) => 1 + (r[1] % 5)),
    timestampsMs: Float64Array.from(rows, (r) => r[2]),
  }));

const optionsArb = fc.record({
  queryCount: fc.integer({ min: 1, max: 5 }),
  extra: fc.integer({ min: 1, max: 6 }),
  span: fc.integer({ min: 0, max: 20 }),
  supportCap: fc.option(fc.integer({ min: 1, max: 10 }), { nil: undefined }),
  order: fc.constantFrom('random' as const, 'time' as const),
  seed: fc.integer({ min: 0, max: 1000 }),
});

describe('splitUserTasks', () => {
  it('keeps support and query disjoint, of the right sizes, within the user, for users within min..max only', () => {
    fc.assert(
      fc.property(interactionsArb, optionsArb, (data, p) => {
        const options = { queryCount: p.queryCount, minRatings: p.queryCount + p.extra, maxRatings: p.queryCount + p.extra + p.span, supportCap: p.supportCap, order: p.order, seed: p.seed };
        const tasks = splitUserTasks(data, userIds, options);
        const perUser = new Array<number>(USERS).fill(0);
        data.userRows.forEach((u) => perUser[u]++);
        const eligible = perUser.flatMap((n, u) => (n >= options.minRatings && n <= options.maxRatings ? [u] : []));
        expect(tasks.map((t) => t.userRow)).toEqual(eligible);
        for (const task of tasks) {
          const n = perUser[task.userRow];
          expect(task.query.length).toBe(options.queryCount);
          expect(task.support.length).toBe(Math.min(n - options.queryCount, options.supportCap ?? Infinity));
          const all = [...task.support, ...task.query];
          expect(new Set(all).size).toBe(all.length);
          expect(all.every((k) => data.userRows[k] === task.userRow)).toBe(true);
          if (options.order === 'time') {
            const latestSupport = Math.max(...Array.from(task.support, (k) => data.timestampsMs?.[k] ?? 0));
            expect(Array.from(task.query).every((k) => (data.timestampsMs?.[k] ?? 0) >= latestSupport)).toBe(true);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('is deterministic per seed, differs across seeds, and does not depend on other users', () => {
    const n = 40;
    const data: TaskInteractions = {
      userRows: Int32Array.from({ length: 2 * n }, (_, k) => (k < n ? 0 : 1)),
      itemRows: Int32Array.from({ length: 2 * n }, (_, k) => k),
      labels: new Float32Array(2 * n).fill(3),
    };
    const a = splitUserTasks(data, ['alice', 'bob'], { seed: 7 });
    expect(splitUserTasks(data, ['alice', 'bob'], { seed: 7 })).toEqual(a);
    expect(splitUserTasks(data, ['alice', 'bob'], { seed: 8 })[0].query).not.toEqual(a[0].query);
    const aliceAlone = splitUserTasks(data, ['alice', 'bob'], { seed: 7 }, { userMask: Uint8Array.of(1, 0) });
    expect(aliceAlone).toEqual([a[0]]);
  });

  it('filters users on the interactions left after the item mask, as MeLU filters each scenario', () => {
    const data: TaskInteractions = {
      userRows: new Int32Array(20),
      itemRows: Int32Array.from({ length: 20 }, (_, k) => k),
      labels: new Float32Array(20),
    };
    const keepFirst12 = Uint8Array.from({ length: 20 }, (_, k) => (k < 12 ? 1 : 0));
    expect(splitUserTasks(data, ['u'], {}, { itemMask: keepFirst12 })).toEqual([]);
    const keepFirst15 = Uint8Array.from({ length: 20 }, (_, k) => (k < 15 ? 1 : 0));
    const [task] = splitUserTasks(data, ['u'], {}, { itemMask: keepFirst15 });
    expect([...task.support, ...task.query].every((k) => k < 15)).toBe(true);
  });

  it('rejects a minimum that would leave an empty support set', () => {
    const data: TaskInteractions = { userRows: new Int32Array(0), itemRows: new Int32Array(0), labels: new Float32Array(0) };
    expect(() => splitUserTasks(data, [], { queryCount: 10, minRatings: 10 })).toThrow(expect.objectContaining({ code: 'DS_INVALID_OPTION' }) as Error);
    expect(() => splitUserTasks(data, [], { order: 'time' })).toThrow(/timestampsMs/);
  });
});
