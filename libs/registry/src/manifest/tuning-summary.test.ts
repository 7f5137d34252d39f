import { describe, expect, it } from 'vitest';

import { buildTestBundleFiles, TEST_TUNING } from '../testing/bundle-builders.js';
import { tuningRows, tuningSummaryOf } from './tuning-summary.js';

describe('tuningSummaryOf', () => {
  it('reads the tuning block of a tuned training spec', () => {
    const { manifest } = buildTestBundleFiles({ trainingSpec: { algorithm: 'maml', tuning: TEST_TUNING } });
    expect(tuningSummaryOf(manifest.lineage)).toMatchObject({ tuneId: 't-test', best: { trial: 2, metric: 0.81 }, trialsOmitted: 0 });
  });

  it('is null for an untuned spec and for a block it cannot read', () => {
    expect(tuningSummaryOf(buildTestBundleFiles().manifest.lineage)).toBeNull();
    expect(tuningSummaryOf(buildTestBundleFiles({ trainingSpec: { tuning: { tuneId: 7 } } }).manifest.lineage)).toBeNull();
  });
});

describe('tuningRows', () => {
  it('gives one row per trial with each parameter and the objective per rung, null where not reached', () => {
    const summary = tuningSummaryOf(buildTestBundleFiles({ trainingSpec: { tuning: TEST_TUNING } }).manifest.lineage);
    expect(summary).not.toBeNull();
    expect(summary === null ? [] : tuningRows(summary)).toEqual([
      { trial: 2, 'inner.lr': 0.02, 'mae@10': 0.9, 'mae@30': 0.81, status: 'completed' },
      { trial: 0, 'inner.lr': 0.2, 'mae@10': 1.4, 'mae@30': null, status: 'stopped' },
    ]);
  });
});
