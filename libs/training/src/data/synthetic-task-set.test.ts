import { describe, expect, it } from 'vitest';

import { tinyRunSpec } from '../testing/tiny-run-spec.js';
import { specHash } from '../spec/spec-options.js';
import type { RunSpec } from '../spec/run-spec.js';
import { syntheticTaskSet } from './synthetic-task-set.js';

type SyntheticSpec = Extract<RunSpec['data'], { kind: 'synthetic-tasks' }>;

function withDropout(p: number): RunSpec {
  const base = tinyRunSpec('/out');
  return { ...base, data: { ...base.data, idDropout: p } } as RunSpec;
}

/** Rows whose first item field (`i0`) is the unknown index 0 (the generator draws 0 too, rarely). */
function unknownRows(set: ReturnType<typeof syntheticTaskSet>, part: 'train' | 'validation' | 'test'): number {
  const width = set.featureLayout.itemFields.length;
  let n = 0;
  for (const t of set[part]) {
    for (const rows of [t.support, t.query]) {
      for (let r = 0; r < rows.count; r++) {
        n += rows.itemIndices[r * width] === 0 ? 1 : 0;
      }
    }
  }
  return n;
}

describe('syntheticTaskSet id dropout', () => {
  it('keeps the spec hash and data version of specs written before data.idDropout', () => {
    const spec = tinyRunSpec('/out');
    expect(spec.data.idDropout).toBe(0);
    // Golden values computed before the field existed (same tiny spec).
    expect(specHash(spec)).toBe('sha256:94456865fe2dcdfd3ad7085bf07ef978b923b1d9c4d6209b66f96e54ac2716ce');
    expect(syntheticTaskSet(spec.data as SyntheticSpec).dataVersion).toBe('sha256:ca776335a61ec91ef295a189dd0b1fed7d7a0be3146c5c1521d04616426f1d0b');
  });

  it('drops i0 in training tasks only, identically on every build; the spec hash carries the setting', () => {
    const off = syntheticTaskSet(tinyRunSpec('/out').data as SyntheticSpec);
    const a = syntheticTaskSet(withDropout(0.3).data as SyntheticSpec);
    const b = syntheticTaskSet(withDropout(0.3).data as SyntheticSpec);
    expect(a.train).toEqual(b.train);
    expect(a.validation).toEqual(off.validation);
    expect(a.test).toEqual(off.test);
    // Same data read: the version (and so the evaluation set) does not move with dropout; the spec hash does.
    expect(a.dataVersion).toBe(off.dataVersion);
    expect(specHash(withDropout(0.3))).not.toBe(specHash(tinyRunSpec('/out')));
    const rows = a.train.reduce((s, t) => s + t.support.count + t.query.count, 0);
    const dropped = unknownRows(a, 'train') - unknownRows(off, 'train');
    expect(dropped / rows).toBeGreaterThan(0.2);
    expect(dropped / rows).toBeLessThan(0.4);
    // Only i0 moves; labels, other fields and string item ids stay.
    a.train.forEach((t, i) => {
      const o = off.train[i];
      expect(t.support.labels).toEqual(o.support.labels);
      expect(t.query.itemIds).toEqual(o.query.itemIds);
      for (let r = 0; r < t.query.count; r++) {
        expect(t.query.itemIndices[r * 2 + 1]).toBe(o.query.itemIndices[r * 2 + 1]);
      }
    });
  });
});
