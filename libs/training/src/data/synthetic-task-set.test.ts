import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { generateSynthetic, interactionRecords } from '@metarec/datasets';
import { OfflineWriter } from '@metarec/feature-store';
import { describe, expect, it } from 'vitest';

import { parseRunSpec, type RunSpec } from '../spec/run-spec.js';
import { specHash } from '../spec/spec-options.js';
import { tinyRunSpec } from '../testing/tiny-run-spec.js';
import { offlineStoreTaskSet } from './offline-store-task-set.js';
import { syntheticTaskSet } from './synthetic-task-set.js';

type SyntheticSpec = Extract<RunSpec['data'], { kind: 'synthetic' }>;
type OfflineSpec = Extract<RunSpec['data'], { kind: 'offline-store' }>;

const tiny = (): SyntheticSpec => tinyRunSpec('/out').data as SyntheticSpec;

/** Rows whose `item_id` field is the unknown index 0. */
function unknownItemIds(set: ReturnType<typeof syntheticTaskSet>, part: 'train' | 'validation' | 'test'): number {
  const width = set.featureLayout.itemFields.length;
  const field = set.featureLayout.itemFields.findIndex((f) => f.name === 'item_id');
  let n = 0;
  for (const t of set[part]) {
    for (const rows of [t.support, t.query]) {
      for (let r = 0; r < rows.count; r++) {
        n += rows.itemIndices[r * width + field] === 0 ? 1 : 0;
      }
    }
  }
  return n;
}

describe('syntheticTaskSet', () => {
  it('builds the same tasks and data version from the same spec, another version from another world', () => {
    const a = syntheticTaskSet(tiny());
    const b = syntheticTaskSet(tiny());
    expect(a.train.length).toBeGreaterThan(0);
    expect(a.validation.length).toBeGreaterThan(0);
    expect(a.test.length).toBeGreaterThan(0);
    expect(b).toEqual(a);
    expect(a.dataVersion).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(a.dataWatermarkMs).toBeNull();
    // The generator's scale (datasets' ratingScaleOf of the world): what the held-out evaluation clips to.
    expect(a.ratingScale).toEqual({ min: 1, max: 5 });
    const other = syntheticTaskSet({ ...tiny(), world: { ...tiny().world, seed: 4 } });
    expect(other.dataVersion).not.toBe(a.dataVersion);
    expect(syntheticTaskSet({ ...tiny(), queryCount: 5 }).dataVersion).not.toBe(a.dataVersion);
  });

  it('drops item_id in training tasks only, identically on every build; the spec hash carries the setting', () => {
    const withDropout = (p: number): RunSpec => {
      const base = tinyRunSpec('/out');
      return { ...base, data: { ...base.data, idDropout: p } } as RunSpec;
    };
    const off = syntheticTaskSet(tiny());
    const a = syntheticTaskSet(withDropout(0.3).data as SyntheticSpec);
    expect(syntheticTaskSet(withDropout(0.3).data as SyntheticSpec).train).toEqual(a.train);
    expect(a.validation).toEqual(off.validation);
    expect(a.test).toEqual(off.test);
    expect(a.dataVersion).toBe(off.dataVersion);
    expect(specHash(withDropout(0.3))).not.toBe(specHash(tinyRunSpec('/out')));
    const rows = a.train.reduce((s, t) => s + t.support.count + t.query.count, 0);
    const dropped = unknownItemIds(a, 'train') - unknownItemIds(off, 'train');
    expect(dropped / rows).toBeGreaterThan(0.2);
    expect(dropped / rows).toBeLessThan(0.4);
    a.train.forEach((t, i) => {
      expect(t.support.labels).toEqual(off.train[i].support.labels);
      expect(t.query.itemIds).toEqual(off.train[i].query.itemIds);
    });
  });

  it('gives exactly the tasks the offline store holding the same world gives (one path from records to tasks)', async () => {
    const spec = tiny();
    const world = generateSynthetic(spec.world);
    const root = await mkdtemp(path.join(tmpdir(), 'synthetic-world-'));
    try {
      const writer = new OfflineWriter({ root });
      await writer.write('user_profiles', 'metarec.user-profiles', 0, world.users.map((record, k) => ({ offset: BigInt(k), record })));
      await writer.write('item_profiles', 'metarec.item-profiles', 0, world.items.map((record, k) => ({ offset: BigInt(k), record })));
      await writer.write('interactions', 'metarec.interactions', 0, interactionRecords(world).map((record, k) => ({ offset: BigInt(k), record })));
      const { kind: _kind, world: _world, ...split } = spec;
      const stored = await offlineStoreTaskSet(parseRunSpec({ data: { kind: 'offline-store', root, ...split }, output: { dir: '/o' } }).data as OfflineSpec);
      const generated = syntheticTaskSet(spec);
      expect(generated.featureLayout).toEqual(stored.featureLayout);
      expect(generated.vocabularies).toEqual(stored.vocabularies);
      expect(generated.ratingScale).toEqual(stored.ratingScale);
      for (const part of ['train', 'validation', 'test'] as const) {
        expect(generated[part]).toEqual(stored[part]);
      }
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
