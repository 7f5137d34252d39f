import type { HeldOutEvaluation, HeldOutMetrics } from '@metarec/evaluation';
import { parseBundleManifest, type BundleMetrics } from '@metarec/registry';
import { describe, expect, it } from 'vitest';

import { tinyRunSpec } from '../testing/tiny-run-spec.js';
import { bundleMetricsOf, HELD_OUT_SCENARIO } from './register-run.js';
import type { RunLineage } from './run-output.js';

const metrics = (mae: number): HeldOutMetrics => ({ mae, rmse: mae + 0.25, nmae: mae / 4, nrmse: (mae + 0.25) / 4, ndcg: 0.8 });

const evaluation: HeldOutEvaluation = {
  users: 12,
  k: 3,
  ratingScale: { min: 1, max: 5 },
  model: metrics(0.7),
  baselines: { globalMean: metrics(0.9), userMean: metrics(0.85), itemMean: metrics(0.8) },
};

/** A manifest as `writeBundleManifest` validates it, around `block`. */
function manifestWith(block: BundleMetrics): unknown {
  return {
    manifestVersion: 1,
    format: 'metarec-model-dir/1',
    schemaFingerprint: 'fp',
    files: [{ path: 'model/weights.bin', sha256: '0'.repeat(64), bytes: 1 }],
    metrics: block,
    lineage: { trainingRunId: 'run-1', trainingSpec: {}, dataWatermark: '2026-01-01T00:00:00.000Z', gitCommit: 'abcdef0', parentVersion: null },
  };
}

describe('bundleMetricsOf', () => {
  const lineage = { evaluation, dataVersion: 'v1', spec: tinyRunSpec('/tmp/register-run') } as Pick<RunLineage, 'evaluation' | 'dataVersion' | 'spec'> as RunLineage;

  it('puts MAE, RMSE, their scale-normalised forms and nDCG@k of the model and each baseline in the gate block (a lineage without list metrics)', () => {
    const block = bundleMetricsOf(lineage);
    expect(block?.method).toBe('melu');
    expect(block?.scenarios[HELD_OUT_SCENARIO]).toEqual({
      melu: { mae: 0.7, rmse: 0.95, nmae: 0.175, nrmse: 0.2375, 'ndcg@3': 0.8 },
      global_mean: { mae: 0.9, rmse: 1.15, nmae: 0.225, nrmse: 0.2875, 'ndcg@3': 0.8 },
      user_mean: { mae: 0.85, rmse: 1.1, nmae: 0.2125, nrmse: 0.275, 'ndcg@3': 0.8 },
      item_mean: { mae: 0.8, rmse: 1.05, nmae: 0.2, nrmse: 0.2625, 'ndcg@3': 0.8 },
    });
  });

  it('gives a block the registry manifest accepts, as it still accepts blocks of versions registered before nmae/nrmse and the list metrics', () => {
    const block = bundleMetricsOf(lineage);
    expect(block).toBeDefined();
    const current = parseBundleManifest(manifestWith(block as BundleMetrics));
    expect(current.metrics?.scenarios[HELD_OUT_SCENARIO]?.['melu']).toMatchObject({ nmae: 0.175, nrmse: 0.2375 });
    const old: BundleMetrics = { ...(block as BundleMetrics), scenarios: { [HELD_OUT_SCENARIO]: { melu: { mae: 0.7, rmse: 0.95, 'ndcg@3': 0.8 } } } };
    expect(parseBundleManifest(manifestWith(old)).metrics?.scenarios[HELD_OUT_SCENARIO]?.['melu']).toEqual({ mae: 0.7, rmse: 0.95, 'ndcg@3': 0.8 });
  });

  describe('with the list metrics (nDCG@10, recall@10, AUC against sampled items) and popularity', () => {
    const list = (x: HeldOutMetrics, ndcg10: number): HeldOutMetrics => ({ ...x, ndcg10, recall10: ndcg10 + 0.1, auc: 0.9 });
    const popularity: HeldOutMetrics = { mae: Number.NaN, rmse: Number.NaN, nmae: Number.NaN, nrmse: Number.NaN, ndcg: 0.75, ndcg10: 0.4, recall10: 0.6, auc: 0.85 };
    const withList: HeldOutEvaluation = {
      ...evaluation,
      list: { cutoff: 10, positiveThreshold: 4, negativeCount: 100, seed: 0, usersWithoutPositives: 1 },
      model: list(evaluation.model, 0.15),
      baselines: { ...evaluation.baselines, itemMean: list(evaluation.baselines.itemMean, 0.3), popularity },
    };
    const listed = { ...lineage, evaluation: withList } as RunLineage;

    it('carries them for the model and every baseline, popularity with null rating metrics', () => {
      const scenario = bundleMetricsOf(listed)?.scenarios[HELD_OUT_SCENARIO];
      expect(scenario?.['melu']).toEqual({ mae: 0.7, rmse: 0.95, nmae: 0.175, nrmse: 0.2375, 'ndcg@3': 0.8, ndcg10: 0.15, recall10: 0.25, auc: 0.9 });
      expect(scenario?.['item_mean']).toMatchObject({ ndcg10: 0.3, recall10: 0.4, auc: 0.9 });
      expect(scenario?.['popularity']).toEqual({ mae: null, rmse: null, nmae: null, nrmse: null, 'ndcg@3': 0.75, ndcg10: 0.4, recall10: 0.6, auc: 0.85 });
      // A baseline evaluated without them (lineage of an older trainer) has no such keys, not nulls.
      expect(scenario?.['global_mean']).not.toHaveProperty('ndcg10');
    });

    it('gives a block the manifest accepts (null for undefined figures)', () => {
      const parsed = parseBundleManifest(manifestWith(bundleMetricsOf(listed) as BundleMetrics));
      expect(parsed.metrics?.scenarios[HELD_OUT_SCENARIO]?.['popularity']).toMatchObject({ mae: null, ndcg10: 0.4 });
      expect(parsed.metrics?.scenarios[HELD_OUT_SCENARIO]?.['melu']).toMatchObject({ ndcg10: 0.15 });
    });

    it('reads NaN written to a lineage file (JSON null) as null too', () => {
      const fromFile = JSON.parse(JSON.stringify(listed)) as RunLineage;
      expect(bundleMetricsOf(fromFile)?.scenarios[HELD_OUT_SCENARIO]?.['popularity']).toMatchObject({ mae: null, rmse: null, ndcg10: 0.4 });
    });
  });

  it('is undefined for a run without a held-out evaluation', () => {
    expect(bundleMetricsOf({ ...lineage, evaluation: null })).toBeUndefined();
  });
});
