import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { createLogger } from '@metarec/runtime';
import { InteractionSchema } from '@metarec/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { InMemoryBundleSource } from '../testing/in-memory-bundle-source.js';
import { buildTestWorld, writeBundleManifest, writeTestModelDir } from '../testing/test-world.js';
import { ModelHolder } from './model-holder.js';
import { ModelUpdater } from './model-updater.js';
import type { ServingModel } from './serving-model.js';

let root: string;
const source = new InMemoryBundleSource();

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'metarec-updater-'));
  const world = buildTestWorld({ users: 50, items: 80, interactionsPerUser: { min: 5, max: 10 } });
  for (const version of [1, 2, 3]) {
    const dir = path.join(root, `bundle-${version}`);
    await writeTestModelDir(dir, world, { initSeed: version });
    await writeBundleManifest(dir, `run-${version}`);
    await source.register(version, dir, version === 2 ? { file: 'weights.bin' } : undefined);
  }
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function updater(holder: ModelHolder<ServingModel>, fingerprints = [InteractionSchema.fingerprint]): ModelUpdater {
  return new ModelUpdater({
    holder,
    source,
    modelName: 'melu',
    cacheDir: path.join(root, 'cache'),
    readableFingerprints: new Set(fingerprints),
    logger: createLogger({ name: 'test', level: 'silent' }),
  });
}

describe('ModelUpdater', () => {
  it('loads the alias, skips a reload of the same version, and swaps to the next', async () => {
    const holder = new ModelHolder<ServingModel>();
    const u = updater(holder);
    source.move('production', 1);
    expect(await u.loadRef('production')).toMatchObject({ status: 'loaded', version: 1, previousVersion: null });
    expect(await u.loadRef('production')).toEqual({ status: 'unchanged', version: 1 });
    const v1 = holder.model;
    source.move('production', 3);
    expect(await u.loadRef('production')).toMatchObject({ status: 'loaded', version: 3, previousVersion: 1 });
    expect(v1?.isDisposed).toBe(true);
    holder.close();
  });

  it('refuses a bundle whose file does not match its checksum and keeps serving the old model', async () => {
    const holder = new ModelHolder<ServingModel>();
    const u = updater(holder);
    await u.loadRef('1');
    await expect(u.loadRef('2')).rejects.toMatchObject({ code: 'SERVING_BUNDLE_REFUSED', field: 'weights.bin' });
    expect(holder.model?.version).toBe(1);
    expect(holder.model?.isDisposed).toBe(false);
    holder.close();
  });

  it('refuses a bundle trained on a schema this build cannot read', async () => {
    const holder = new ModelHolder<ServingModel>();
    await expect(updater(holder, ['other-fingerprint']).loadRef('1')).rejects.toMatchObject({ code: 'SERVING_BUNDLE_REFUSED', field: 'schemaFingerprint' });
    expect(holder.model).toBeNull();
  });

  it('follows alias moves and survives a refused one', async () => {
    const holder = new ModelHolder<ServingModel>();
    const u = updater(holder);
    const controller = new AbortController();
    await u.follow(async (onChange) => {
      await onChange(1);
      await onChange(2); // corrupt: logged, skipped
      expect(holder.model?.version).toBe(1);
      await onChange(3);
    }, controller.signal);
    expect(holder.model?.version).toBe(3);
    holder.close();
  });

  it('brings a new pod up on the newest earlier version that verifies when the alias names a corrupt bundle, and says so until a good version arrives', async () => {
    const holder = new ModelHolder<ServingModel>();
    const seen: Array<number | null> = [];
    const u = new ModelUpdater({
      holder,
      source,
      modelName: 'melu',
      cacheDir: path.join(root, 'cache'),
      readableFingerprints: new Set([InteractionSchema.fingerprint]),
      logger: createLogger({ name: 'test', level: 'silent' }),
      onFallback: (f) => seen.push(f === null ? null : f.wanted),
    });
    source.move('production', 2);
    expect(await u.loadWithFallback('production')).toMatchObject({ status: 'loaded', version: 1 });
    expect(holder.model?.version).toBe(1);
    expect(u.fallback).toMatchObject({ wanted: 2, serving: 1, reason: expect.stringMatching(/refused|sha256|checksum/i) });
    // A serving pod keeps its model: no fallback once something serves.
    await expect(u.loadWithFallback('production')).rejects.toMatchObject({ code: 'SERVING_BUNDLE_REFUSED' });
    expect(holder.model?.version).toBe(1);
    source.move('production', 3);
    expect(await u.loadWithFallback('production')).toMatchObject({ status: 'loaded', version: 3 });
    expect(u.fallback).toBeNull();
    expect(seen).toEqual([2, null]);
    holder.close();
  });
});
