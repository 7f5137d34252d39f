import { describe, expect, it } from 'vitest';

import { TrainingError } from '../errors.js';
import { parseRunSpec } from './run-spec.js';
import { specHash } from './spec-options.js';

describe('parseRunSpec', () => {
  it('fills MeLU defaults around a minimal spec', () => {
    const spec = parseRunSpec({ data: { kind: 'synthetic-tasks', trainTasks: 10 }, output: { dir: '/tmp/x' } });
    expect(spec).toMatchObject({ algorithm: 'maml', metaBatchSize: 32, shardSize: 8, sharding: 'fixed', attempts: 3, inner: { steps: 5, lr: 0.01 }, outer: { lr: 1e-3 } });
  });

  it('names the offending field', () => {
    expect(() => parseRunSpec({ data: { kind: 'offline-store', root: '/s', fromDate: '2026-1-1' }, output: { dir: '/o' } })).toThrow(/data\.fromDate/);
    try {
      parseRunSpec({ data: { kind: 'synthetic-tasks', trainTasks: 1 }, shardSize: 0, output: { dir: '/o' } });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(TrainingError);
      expect(e).toMatchObject({ code: 'TRAIN_SPEC_INVALID', details: { field: 'shardSize' } });
    }
  });
});

describe('data.idDropout', () => {
  it('defaults to 0 and accepts [0, 1) on both data kinds', () => {
    expect(parseRunSpec({ data: { kind: 'synthetic-tasks', trainTasks: 1 }, output: { dir: '/o' } }).data.idDropout).toBe(0);
    expect(parseRunSpec({ data: { kind: 'offline-store', root: '/s', idDropout: 0.1 }, output: { dir: '/o' } }).data.idDropout).toBe(0.1);
    expect(() => parseRunSpec({ data: { kind: 'offline-store', root: '/s', idDropout: 1 }, output: { dir: '/o' } })).toThrow(/data\.idDropout/);
    expect(() => parseRunSpec({ data: { kind: 'synthetic-tasks', trainTasks: 1, idDropout: -0.1 }, output: { dir: '/o' } })).toThrow(/data\.idDropout/);
  });
});

describe('sharding', () => {
  it('defaults to fixed, rejects unknown modes, and does not enter the spec hash (a run may resume under either)', () => {
    const base = { data: { kind: 'synthetic-tasks', trainTasks: 1 }, output: { dir: '/o' } } as const;
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
    const base = { data: { kind: 'synthetic-tasks', trainTasks: 1 }, output: { dir: '/o' } } as const;
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
    const base = { data: { kind: 'synthetic-tasks', trainTasks: 1 }, output: { dir: '/o' } } as const;
    const spec = parseRunSpec(base);
    expect(spec.shrinkageGrid).toEqual([0, 1, 2, 5, 10, 20]);
    expect(parseRunSpec({ ...base, shrinkageGrid: [] }).shrinkageGrid).toEqual([]);
    expect(() => parseRunSpec({ ...base, shrinkageGrid: [-1] })).toThrow(/shrinkageGrid/);
    expect(specHash(parseRunSpec({ ...base, shrinkageGrid: [3] }))).toBe(specHash(spec));
  });
});
