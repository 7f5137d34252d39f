import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createMetaModel, initParams, modelContractOf, saveModelDir } from '@metarec/meta-learning';

import { ServingError } from '../errors.js';
import { buildTestWorld, writeTestModelDir } from '../testing/test-world.js';
import { loadServingModel } from './serving-model.js';

describe('loadServingModel', () => {
  let root: string;
  const world = buildTestWorld({ users: 20, items: 30 });
  const model = createMetaModel(world.layout, { outputOffset: 3.5 });

  /** Writes a directory with a hand-made `config.json` (what a foreign or older writer left). */
  async function writeRaw(name: string, config: unknown, extra?: unknown): Promise<string> {
    const dir = path.join(root, name);
    await saveModelDir(dir, { layout: model.layout, params: initParams(model), config, vocabularies: world.encoder.toJSON(), ...(extra === undefined ? {} : { extra }) });
    return dir;
  }

  async function refusalOf(dir: string): Promise<ServingError> {
    const e = await loadServingModel(dir, 1).then(
      (m) => {
        m.dispose();
        return undefined;
      },
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(ServingError);
    return e as ServingError;
  }

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'serving-model-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("carries the adaptation settings the bundle's contract records", async () => {
    const dir = path.join(root, 'trained');
    await writeTestModelDir(dir, world, {}, { steps: 2, lr: 0.05, shrinkage: 3 });
    const loaded = await loadServingModel(dir, 3);
    try {
      expect(loaded.trainedAdaptation).toEqual({ steps: 2, lr: 0.05, shrinkage: 3 });
      expect(loaded.model.layout).toEqual(model.layout);
    } finally {
      loaded.dispose();
    }
  });

  it('serves a wave-1 bundle (unversioned config.json, settings in the lineage) through the migration', async () => {
    const lineage = { runId: 'r1', spec: { inner: { steps: 2, lr: 0.05, l2: 0 } }, adaptation: { steps: 2, lr: 0.05, shrinkage: 6, calibration: null } };
    const dir = await writeRaw('wave1', { model: model.config, featureLayout: model.featureLayout }, { lineage });
    const loaded = await loadServingModel(dir, 1);
    try {
      expect(loaded.trainedAdaptation).toEqual({ steps: 2, lr: 0.05, shrinkage: 6 });
    } finally {
      loaded.dispose();
    }
  });

  it('refuses a bundle of an unknown contract version, naming formatVersion', async () => {
    const dir = await writeRaw('v3', { ...modelContractOf(model, { steps: 5, lr: 0.01, shrinkage: 0 }), formatVersion: 3 });
    const e = await refusalOf(dir);
    expect(e).toMatchObject({ code: 'SERVING_BUNDLE_REFUSED', field: 'config.json:formatVersion' });
    expect(e.cause).toMatchObject({ code: 'ML_BUNDLE_FORMAT_UNSUPPORTED' });
  });

  it('refuses a contract with an invalid field, naming it', async () => {
    const dir = await writeRaw('bad', { ...modelContractOf(model, { steps: 5, lr: 0.01, shrinkage: 0 }), adaptation: { steps: 5, lr: 0.01, shrinkage: -1 } });
    const e = await refusalOf(dir);
    expect(e).toMatchObject({ code: 'SERVING_BUNDLE_REFUSED', field: 'config.json:adaptation.shrinkage' });
    expect(e.cause).toMatchObject({ code: 'ML_BUNDLE_FIELD_INVALID' });
  });
});
