import { describe, expect, it } from 'vitest';

import { effectiveAdaptation, FALLBACK_ADAPTATION, trainedAdaptation } from './trained-adaptation.js';

describe('trainedAdaptation', () => {
  it('reads the inner steps and step size the trainer recorded in extra.json (no shrinkage in older bundles)', () => {
    const extra = { lineage: { runId: 'r1', spec: { name: 'x', inner: { steps: 3, lr: 0.05, l2: 0 }, algorithm: 'fomaml' } } };
    expect(trainedAdaptation(extra)).toEqual({ steps: 3, lr: 0.05, shrinkage: 0 });
  });

  it('reads the calibrated support-size shrinkage', () => {
    const extra = { lineage: { spec: { inner: { steps: 5, lr: 0.05 } }, adaptation: { steps: 5, lr: 0.05, shrinkage: 10, calibration: null } } };
    expect(trainedAdaptation(extra)).toEqual({ steps: 5, lr: 0.05, shrinkage: 10 });
  });

  it('is null for bundles without a usable record', () => {
    expect(trainedAdaptation(undefined)).toBeNull();
    expect(trainedAdaptation({ lineage: { spec: {} } })).toBeNull();
    expect(trainedAdaptation({ lineage: { spec: { inner: { steps: -1, lr: 0.1 } } } })).toBeNull();
    expect(trainedAdaptation({ lineage: { spec: { inner: { steps: 5, lr: 0.1 } }, adaptation: { shrinkage: -2 } } })).toBeNull();
  });
});

describe('effectiveAdaptation', () => {
  it('prefers the operator, field by field, then the bundle, then the fallback', () => {
    const trained = { steps: 3, lr: 0.05, shrinkage: 8 };
    expect(effectiveAdaptation({}, trained)).toEqual(trained);
    expect(effectiveAdaptation({ lr: 0.2 }, trained)).toEqual({ steps: 3, lr: 0.2, shrinkage: 8 });
    expect(effectiveAdaptation({ shrinkage: 0 }, trained)).toEqual({ steps: 3, lr: 0.05, shrinkage: 0 });
    expect(effectiveAdaptation({ steps: 7 }, null)).toEqual({ steps: 7, lr: FALLBACK_ADAPTATION.lr, shrinkage: 0 });
    expect(effectiveAdaptation({}, null)).toEqual(FALLBACK_ADAPTATION);
  });
});
