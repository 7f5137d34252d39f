import { describe, expect, it } from 'vitest';

import { effectiveAdaptation } from './effective-adaptation.js';

describe('effectiveAdaptation', () => {
  const trained = { steps: 3, lr: 0.05, shrinkage: 8 };

  it("uses the bundle's trained settings when the operator sets nothing", () => {
    expect(effectiveAdaptation({}, trained)).toEqual(trained);
    expect(effectiveAdaptation({ steps: undefined, lr: undefined, shrinkage: undefined }, trained)).toEqual(trained);
  });

  it('prefers the operator, field by field (0 is an override, not a gap)', () => {
    expect(effectiveAdaptation({ lr: 0.2 }, trained)).toEqual({ steps: 3, lr: 0.2, shrinkage: 8 });
    expect(effectiveAdaptation({ shrinkage: 0 }, trained)).toEqual({ steps: 3, lr: 0.05, shrinkage: 0 });
    expect(effectiveAdaptation({ steps: 0 }, trained)).toEqual({ steps: 0, lr: 0.05, shrinkage: 8 });
    expect(effectiveAdaptation({ steps: 7, lr: 0.1, shrinkage: 2 }, trained)).toEqual({ steps: 7, lr: 0.1, shrinkage: 2 });
  });
});
