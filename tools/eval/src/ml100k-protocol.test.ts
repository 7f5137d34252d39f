import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { importMovieLens } from '@metarec/datasets';
import { ALL_SCENARIOS, assertNoLeak, buildColdStartSplit } from '@metarec/evaluation';

import { ratingsTableFromDataset } from './dataset-table.js';

const DIR = join(import.meta.dirname, '../../../../shared/datasets/movielens-100k');
const present = existsSync(join(DIR, 'u.data'));
if (!present) {
  process.stderr.write(`ml100k-protocol.test: skipped, ML-100K not found at ${DIR}\n`);
}

describe.skipIf(!present)('MeLU protocol on ML-100K (as the PyTorch reference)', () => {
  it('cuts new items at 1997-01-01 (351 items), holds out 189 users and leaks nothing', async () => {
    const table = ratingsTableFromDataset(await importMovieLens(DIR));
    expect(table.users.length).toBe(100_000);
    const split = buildColdStartSplit(table, 0, { newItemFromMs: Date.UTC(1997, 0, 1) });
    expect(split.itemPools.new.length).toBe(351);
    expect(split.isTestUser.reduce((n, f) => n + f, 0)).toBe(189);
    // The reference's seeds give 347-369 warm and 85-107 new-user tasks; ours draw a different permutation.
    expect(split.scenarios.warm.length).toBeGreaterThan(300);
    expect(split.scenarios.new_user.length).toBeGreaterThan(60);
    assertNoLeak(split.training, ALL_SCENARIOS.flatMap((s) => split.scenarios[s]));
  });
});
