import { syntheticRatingsTable } from '@metarec/evaluation/testing';
import { describe, expect, it } from 'vitest';

import { DEFAULT_METHOD_NAMES, methodFactories } from './method-registry.js';

describe('methodFactories', () => {
  const context = { algorithm: 'maml', epochs: 1, metaEpochs: 1, dataset: undefined, table: syntheticRatingsTable({ users: 10, items: 10 }), globalItemId: false } as const;

  it("offers the training run's and the pipeline's held-out baselines by name, outside the defaults", () => {
    expect(methodFactories(['user_mean', 'damped_bias'], context).map((f) => f.create(0).name)).toEqual(['user_mean', 'damped_bias']);
    expect(DEFAULT_METHOD_NAMES).not.toContain('user_mean');
    expect(DEFAULT_METHOD_NAMES).not.toContain('damped_bias');
  });

  it('builds the hybrid (a meta-learner) from its spec and names an unknown key', () => {
    const [hybrid] = methodFactories(['hybrid/meta=0/folds=2/name=h2'], context);
    expect(hybrid.kind).toBe('meta-learner');
    expect(hybrid.create(0).name).toBe('h2');
    expect(DEFAULT_METHOD_NAMES).toContain('hybrid');
    expect(() => methodFactories(['hybrid/foo=1'], context)).toThrow(/unknown key foo/);
  });
});
