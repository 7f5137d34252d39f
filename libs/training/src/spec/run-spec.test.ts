import { describe, expect, it } from 'vitest';

import { TrainingError } from '../errors.js';
import { parseRunSpec } from './run-spec.js';

describe('parseRunSpec', () => {
  it('fills MeLU defaults around a minimal spec', () => {
    const spec = parseRunSpec({ data: { kind: 'synthetic-tasks', trainTasks: 10 }, output: { dir: '/tmp/x' } });
    expect(spec).toMatchObject({ algorithm: 'maml', metaBatchSize: 32, shardSize: 8, attempts: 3, inner: { steps: 5, lr: 0.01 }, outer: { lr: 1e-3 } });
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
