import { describe, expect, it } from 'vitest';

import { effectiveAdaptation, FALLBACK_ADAPTATION, trainedAdaptation } from './trained-adaptation.js';

describe('trainedAdaptation', () => {
  it('reads the inner steps and step size the trainer recorded in extra.json', () => {
    const extra = { lineage: { runId: 'r1', spec: { name: 'x', inner: { steps: 3, lr: 0.05, l2: 0 }, algorithm: 'fomaml' } } };
    expect(trainedAdaptation(extra)).toEqual({ steps: 3, lr: 0.05 });
  });

  it('is null for bundles without a usable record', () => {
    expect(trainedAdaptation(undefined)).toBeNull();
    expect(trainedAdaptation({ lineage: { spec: {} } })).toBeNull();
    expect(trainedAdaptation({ lineage: { spec: { inner: { steps: -1, lr: 0.1 } } } })).toBeNull();
  });
});

describe('effectiveAdaptation', () => {
  it('prefers the operator, field by field, then the bundle, then the fallback', () => {
    const trained = { steps: 3, lr: 0.05 };
    expect(effectiveAdaptation({}, trained)).toEqual(trained);
    expect(effectiveAdaptation({ lr: 0.2 }, trained)).toEqual({ steps: 3, lr: 0.2 });
    expect(effectiveAdaptation({ steps: 7 }, null)).toEqual({ steps: 7, lr: FALLBACK_ADAPTATION.lr });
    expect(effectiveAdaptation({}, null)).toEqual(FALLBACK_ADAPTATION);
  });
});
