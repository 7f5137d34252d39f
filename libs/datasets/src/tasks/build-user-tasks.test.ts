import { assertRowsMatchLayout } from '@metarec/schemas';
import { describe, expect, it } from 'vitest';

import { FeatureEncoder } from '../encoding/feature-encoder.js';
import { importMovieLens } from '../movielens/import-movielens.js';
import { MOVIELENS_100K_SKIP_MESSAGE, findMovieLens100k } from '../testing/movielens-100k.js';
import { buildUserTasks } from './build-user-tasks.js';

describe('buildUserTasks', () => {
  it('encodes support and query rows from the user and item tables', () => {
    const users = [{ user_id: 'a', gender: 'F' }, { user_id: 'b', gender: 'M' }];
    const items = Array.from({ length: 15 }, (_, k) => ({ item_id: `i${k}`, categories: [k % 2 === 0 ? 'even' : 'odd'], release_year: 1990 + k }));
    const encoder = FeatureEncoder.fit({ users, items });
    const n = 14;
    const interactions = {
      userRows: new Int32Array(n).fill(1),
      itemRows: Int32Array.from({ length: n }, (_, k) => k),
      labels: Float32Array.from({ length: n }, (_, k) => 1 + (k % 5)),
    };
    const { tasks, splits } = buildUserTasks({ interactions, users: encoder.encodeUsers(users), items: encoder.encodeItems(items) }, { queryCount: 4 });
    expect(tasks).toHaveLength(1);
    const [task] = tasks;
    expect(task.userId).toBe('b');
    assertRowsMatchLayout(task.query, encoder.layout());
    expect(task.support.count).toBe(10);
    const itemRow = splits[0].query[0];
    expect(task.query.itemIds[0]).toBe(`i${itemRow}`);
    expect(task.query.labels[0]).toBe(1 + (itemRow % 5));
    // user b (no user_id field by default): gender M = 2 (F=1); the other user fields are unknown
    expect(Array.from(task.query.userIndices.subarray(0, 4))).toEqual([0, 2, 0, 0]);
    expect(task.query.itemIndices[0]).toBe(encoder.vocabulary('item_id').indexOf(`i${itemRow}`));
  });

  const ml100k = findMovieLens100k();
  it.skipIf(ml100k === undefined)('builds MeLU tasks from the real ML-100K quickly', async () => {
    const started = performance.now();
    const data = await importMovieLens(ml100k as string);
    const imported = performance.now();
    const encoder = FeatureEncoder.fit({ users: data.users, items: data.items }, { includeUserId: false, includeItemId: false });
    const interactions = { userRows: data.interactions.userRows, itemRows: data.interactions.itemRows, labels: data.interactions.values };
    const { tasks } = buildUserTasks({ interactions, users: encoder.encodeUsers(data.users), items: encoder.encodeItems(data.items) }, { seed: 1 });
    const built = performance.now();
    // users with 13..100 ratings (every ML-100K user has >= 20)
    const perUser = new Int32Array(data.users.length);
    data.interactions.userRows.forEach((u) => perUser[u]++);
    expect(tasks).toHaveLength(perUser.filter((n) => n <= 100).length);
    expect(tasks.every((t) => t.query.count === 10 && t.support.count >= 10)).toBe(true);
    expect(encoder.layout().itemFields).toEqual([{ name: 'release_year_bucket', cardinality: 17 }]);
    expect(encoder.layout().categoryCount).toBe(19);
    console.info(`ML-100K: import ${(imported - started).toFixed(0)} ms, encode + ${tasks.length} tasks ${(built - imported).toFixed(0)} ms`);
  });
  if (ml100k === undefined) {
    it.skip(MOVIELENS_100K_SKIP_MESSAGE, () => undefined);
  }
});
