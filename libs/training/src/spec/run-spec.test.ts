import { describe, expect, it } from 'vitest';

import { TrainingError } from '../errors.js';
import { parseRunSpec } from './run-spec.js';
import { specHash } from './spec-options.js';

describe('parseRunSpec', () => {
  it('fills MeLU defaults around a minimal spec', () => {
    const spec = parseRunSpec({ data: { kind: 'synthetic' }, output: { dir: '/tmp/x' } });
    expect(spec).toMatchObject({ algorithm: 'maml', metaBatchSize: 32, shardSize: 8, sharding: 'fixed', attempts: 3, inner: { steps: 5, lr: 0.01 }, outer: { lr: 1e-3 } });
  });

  it('names the offending field', () => {
    expect(() => parseRunSpec({ data: { kind: 'offline-store', root: '/s', fromDate: '2026-1-1' }, output: { dir: '/o' } })).toThrow(/data\.fromDate/);
    try {
      parseRunSpec({ data: { kind: 'synthetic' }, shardSize: 0, output: { dir: '/o' } });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(TrainingError);
      expect(e).toMatchObject({ code: 'TRAIN_SPEC_INVALID', details: { field: 'shardSize' } });
    }
  });
});

describe('data.kind', () => {
  it('refuses the removed synthetic-tasks kind with a coded error naming data.kind', () => {
    try {
      parseRunSpec({ data: { kind: 'synthetic-tasks', trainTasks: 24, support: 6, query: 6 }, output: { dir: '/o' } });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(TrainingError);
      expect(e).toMatchObject({ code: 'TRAIN_SPEC_INVALID', details: { field: 'data.kind' } });
    }
  });

  it('fills the synthetic world with the generator\'s defaults and the split with the offline store\'s', () => {
    const synthetic = parseRunSpec({ data: { kind: 'synthetic', world: { seed: 4, users: 50 } }, output: { dir: '/o' } }).data;
    const offline = parseRunSpec({ data: { kind: 'offline-store', root: '/s' }, output: { dir: '/o' } }).data;
    expect(synthetic).toEqual({ kind: 'synthetic', world: { seed: 4, users: 50 }, queryCount: 10, minRatings: 13, maxRatings: 100, validationFraction: 0.1, testFraction: 0.1, splitSeed: 0, idDropout: 0 });
    const { kind: _k, root: _r, ...offlineSplit } = offline as Extract<typeof offline, { kind: 'offline-store' }>;
    const { kind: _s, world: _w, ...syntheticSplit } = synthetic as Extract<typeof synthetic, { kind: 'synthetic' }>;
    expect(syntheticSplit).toEqual(offlineSplit);
    expect(() => parseRunSpec({ data: { kind: 'synthetic', world: { users: 0 } }, output: { dir: '/o' } })).toThrow(/data\.world\.users/);
  });
});

describe('data.idDropout', () => {
  it('defaults to 0 and accepts [0, 1) on both data kinds', () => {
    expect(parseRunSpec({ data: { kind: 'synthetic' }, output: { dir: '/o' } }).data.idDropout).toBe(0);
    expect(parseRunSpec({ data: { kind: 'offline-store', root: '/s', idDropout: 0.1 }, output: { dir: '/o' } }).data.idDropout).toBe(0.1);
    expect(() => parseRunSpec({ data: { kind: 'offline-store', root: '/s', idDropout: 1 }, output: { dir: '/o' } })).toThrow(/data\.idDropout/);
    expect(() => parseRunSpec({ data: { kind: 'synthetic', idDropout: -0.1 }, output: { dir: '/o' } })).toThrow(/data\.idDropout/);
  });
});

describe('sharding', () => {
  it('defaults to fixed, rejects unknown modes, and does not enter the spec hash (a run may resume under either)', () => {
    const base = { data: { kind: 'synthetic' }, output: { dir: '/o' } } as const;
    const fixed = parseRunSpec(base);
    const live = parseRunSpec({ ...base, sharding: 'live-workers' });
    expect(fixed.sharding).toBe('fixed');
    expect(live.sharding).toBe('live-workers');
    expect(() => parseRunSpec({ ...base, sharding: 'per-core' })).toThrow(/sharding/);
    expect(specHash(live)).toBe(specHash(fixed));
    expect(specHash(parseRunSpec({ ...base, shardSize: 3 }))).not.toBe(specHash(fixed));
  });
});

describe('supportSizes', () => {
  it('defaults to none, accepts integers >= 1 and all, and enters the spec hash only when set', () => {
    const base = { data: { kind: 'synthetic' }, output: { dir: '/o' } } as const;
    const none = parseRunSpec(base);
    const shots = parseRunSpec({ ...base, supportSizes: [1, 3, 'all'] });
    expect(none.supportSizes).toEqual([]);
    expect(shots.supportSizes).toEqual([1, 3, 'all']);
    expect(() => parseRunSpec({ ...base, supportSizes: [0] })).toThrow(/supportSizes/);
    expect(() => parseRunSpec({ ...base, supportSizes: ['most'] })).toThrow(/supportSizes/);
    expect(specHash(shots)).not.toBe(specHash(none));
  });
});

describe('shrinkageGrid', () => {
  it('defaults to a small grid, refuses negative values and stays out of the spec hash (it only picks the saved model\'s local update)', () => {
    const base = { data: { kind: 'synthetic' }, output: { dir: '/o' } } as const;
    const spec = parseRunSpec(base);
    expect(spec.shrinkageGrid).toEqual([0, 1, 2, 5, 10, 20]);
    expect(parseRunSpec({ ...base, shrinkageGrid: [] }).shrinkageGrid).toEqual([]);
    expect(() => parseRunSpec({ ...base, shrinkageGrid: [-1] })).toThrow(/shrinkageGrid/);
    expect(specHash(parseRunSpec({ ...base, shrinkageGrid: [3] }))).toBe(specHash(spec));
  });
});

describe('search', () => {
  it('is left out of the spec hash: a tuned spec resumes the checkpoints of the same spec without it', () => {
    const plain = parseRunSpec({ data: { kind: 'synthetic' }, output: { dir: '/o' } });
    const searched = parseRunSpec({ data: { kind: 'synthetic' }, output: { dir: '/o' }, search: { space: { 'inner.lr': { min: 0.001, max: 0.1, log: true } } } });
    expect(searched.search?.trials).toBe(9);
    expect(specHash(searched)).toBe(specHash(plain));
  });
});
