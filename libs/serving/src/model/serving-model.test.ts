import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { selectBackend } from '@metarec/meta-learning';

import { buildTestWorld, writeTestModelDir } from '../testing/test-world.js';
import { loadServingModel } from './serving-model.js';

describe('loadServingModel', () => {
  let root: string;
  const world = buildTestWorld({ users: 20, items: 30 });

  beforeAll(async () => {
    await selectBackend({ preferred: 'cpu' });
    root = await mkdtemp(path.join(tmpdir(), 'serving-model-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('carries the inner steps and lr the bundle was trained with (lineage in extra.json)', async () => {
    const dir = path.join(root, 'trained');
    await writeTestModelDir(dir, world, {}, { lineage: { runId: 'r1', spec: { inner: { steps: 2, lr: 0.05, l2: 0 } } } });
    const model = await loadServingModel(dir, 3);
    try {
      expect(model.trainedAdaptation).toEqual({ steps: 2, lr: 0.05, shrinkage: 0 });
    } finally {
      model.dispose();
    }
  });

  it('has no trained adaptation for a bundle without lineage', async () => {
    const dir = path.join(root, 'plain');
    await writeTestModelDir(dir, world);
    const model = await loadServingModel(dir, 1);
    try {
      expect(model.trainedAdaptation).toBeNull();
    } finally {
      model.dispose();
    }
  });
});
