import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { DEFAULT_ADAPTATION_SETTINGS } from '../adaptation/adaptation-settings.js';
import { initParams } from '../model/init-params.js';
import { createMetaModel } from '../model/meta-model.js';
import { DEFAULT_MODEL_CONFIG } from '../model/model-config.js';
import { syntheticLayout } from '../testing/synthetic-tasks.js';
import { loadModelBundle } from './load-model-bundle.js';
import { MODEL_CONTRACT_VERSION } from './model-contract.js';
import { parseModelContract } from './parse-model-contract.js';
import { PersistenceError } from './persistence-error.js';
import { modelContractOf, saveModelBundle } from './save-model-bundle.js';
import { saveModelDir } from './save-model-dir.js';

const featureLayout = syntheticLayout({ userFields: 2, itemFields: 2, cardinality: 6, categoryCount: 3, numericCount: 1 });
const model = createMetaModel(featureLayout, { embeddingDim: 4, hidden: [5, 3], adapt: 'all', metaSgd: true, outputOffset: 3.5 });
const adaptation = { steps: 3, lr: 0.05, shrinkage: 8 };
const vocabularies = { user_id: ['u1', 'u2'] };

/** The first error `run` throws, as a PersistenceError (fails the test otherwise). */
function refusal(run: () => unknown): PersistenceError {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(PersistenceError);
    return e as PersistenceError;
  }
  throw new Error('expected a PersistenceError');
}

async function refusalOf(p: Promise<unknown>): Promise<PersistenceError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(PersistenceError);
  return e as PersistenceError;
}

/** The contract as stored, with `path` set to `value` (a deep copy: the original is untouched). */
function withField(fieldPath: string, value: unknown): Record<string, unknown> {
  const contract = JSON.parse(JSON.stringify(modelContractOf(model, adaptation))) as Record<string, unknown>;
  const keys = fieldPath.split('.');
  let node = contract as Record<string, unknown>;
  for (const key of keys.slice(0, -1)) {
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]] = value;
  return contract;
}

describe('model bundle contract', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'model-bundle-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('round-trips the contract, the weights and the network through saveModelBundle / loadModelBundle', async () => {
    const dir = path.join(root, 'm');
    const params = initParams(model, 3);
    const extra = { lineage: { runId: 'r1' } };
    await saveModelBundle(dir, { model, params, vocabularies, adaptation, extra });
    const loaded = await loadModelBundle(dir);
    expect(loaded.migratedFrom).toBeNull();
    expect(loaded.contract).toEqual({ formatVersion: MODEL_CONTRACT_VERSION, model: model.config, featureLayout, adaptation });
    expect(loaded.model.layout).toEqual(model.layout);
    expect(loaded.model.config).toEqual(model.config);
    expect(Buffer.from(loaded.params.buffer).equals(Buffer.from(params.buffer))).toBe(true);
    expect(loaded.vocabularies).toEqual(vocabularies);
    expect(loaded.extra).toEqual(extra);
  });

  it('refuses to save a contract it would not read back, naming the field, and writes nothing', async () => {
    const e = await refusalOf(saveModelBundle(path.join(root, 'bad'), { model, params: initParams(model), vocabularies, adaptation: { ...adaptation, shrinkage: -1 } }));
    expect(e.code).toBe('ML_BUNDLE_FIELD_INVALID');
    expect(e.details).toMatchObject({ file: 'config.json', field: 'adaptation.shrinkage' });
    expect(await readdir(root)).toEqual([]);
  });

  it.each([
    ['model.embeddingDim', 0],
    ['model.hidden', []],
    ['model.hidden', [4, 1.5]],
    ['model.task', 'ranking'],
    ['model.adapt', 'embeddings'],
    ['model.activation', 'tanh'],
    ['model.initSeed', 'x'],
    ['model.outputOffset', null],
    ['model.metaSgd', 1],
    ['model.metaSgdInitLr', 0],
    ['model.dropout', 0.1],
    ['featureLayout.userFields', 'user_id'],
    ['featureLayout.itemFields.0.cardinality', 0],
    ['featureLayout.categoryCount', -1],
    ['featureLayout.numericCount', 1.5],
    ['adaptation.steps', 2.5],
    ['adaptation.lr', -0.1],
    ['adaptation.shrinkage', Number.POSITIVE_INFINITY],
    ['adaptation.forceLr', true],
    ['adaptation', undefined],
  ])('names the invalid field %s = %j with ML_BUNDLE_FIELD_INVALID', (field, value) => {
    const e = refusal(() => parseModelContract(withField(field, value)));
    expect(e.code).toBe('ML_BUNDLE_FIELD_INVALID');
    // An invalid element is named down to its index (hidden.1); a field is named as itself.
    expect(String(e.details.field).startsWith(field)).toBe(true);
    expect(e.details.file).toBe('config.json');
  });

  it.each([
    ['a newer version', { ...modelContractOf(model, adaptation), formatVersion: 3 }],
    ['an explicit version 1', { ...modelContractOf(model, adaptation), formatVersion: 1 }],
    ['a version that is not a number', { ...modelContractOf(model, adaptation), formatVersion: '2' }],
    ['a config.json that is no contract at all', { embeddingDim: 4 }],
    ['null', null],
  ])('refuses %s with ML_BUNDLE_FORMAT_UNSUPPORTED naming formatVersion', (_name, config) => {
    const e = refusal(() => parseModelContract(config));
    expect(e.code).toBe('ML_BUNDLE_FORMAT_UNSUPPORTED');
    expect(e.details).toMatchObject({ file: 'config.json', field: 'formatVersion' });
  });

  it('refuses a contract whose network does not match the stored weights (field model)', async () => {
    const dir = path.join(root, 'mismatch');
    const other = createMetaModel(featureLayout, { ...model.config, hidden: [7] });
    await saveModelDir(dir, { layout: model.layout, params: initParams(model), config: modelContractOf(other, adaptation), vocabularies });
    const e = await refusalOf(loadModelBundle(dir));
    expect(e.code).toBe('ML_BUNDLE_FIELD_INVALID');
    expect(e.details).toMatchObject({ file: 'config.json', field: 'model' });
  });

  describe('version 1 (wave-1 trainer bundles: unversioned config.json, settings in the lineage)', () => {
    /** Writes a bundle exactly as the wave-1 trainer did (`writeRunOutput` before the contract). */
    async function saveV1(dir: string, config: unknown, extra?: unknown): Promise<void> {
      await saveModelDir(dir, { layout: model.layout, params: initParams(model), config, vocabularies, ...(extra === undefined ? {} : { extra }) });
    }
    const v1Config = { model: model.config, featureLayout };
    const calibrated = {
      lineage: {
        runId: 'r1',
        spec: { name: 'x', inner: { steps: 3, lr: 0.05, l2: 0 }, algorithm: 'fomaml' },
        adaptation: { steps: 3, lr: 0.05, shrinkage: 8, calibration: { shrinkage: 8, users: 10, supportSizes: [1, 'all'], candidates: [] } },
      },
    };

    it('migrates a calibrated bundle: steps and lr of spec.inner, the calibrated shrinkage', async () => {
      const dir = path.join(root, 'v1');
      await saveV1(dir, v1Config, calibrated);
      const loaded = await loadModelBundle(dir);
      expect(loaded.migratedFrom).toBe(1);
      expect(loaded.contract).toEqual({ formatVersion: MODEL_CONTRACT_VERSION, model: model.config, featureLayout, adaptation: { steps: 3, lr: 0.05, shrinkage: 8 } });
      expect(loaded.model.layout).toEqual(model.layout);
      expect(loaded.extra).toEqual(calibrated);
    });

    it('migrates a bundle from before calibration with κ = 0', () => {
      const { contract } = parseModelContract(v1Config, { lineage: { runId: 'r0', spec: { inner: { steps: 2, lr: 0.1, l2: 0 } } } });
      expect(contract.adaptation).toEqual({ steps: 2, lr: 0.1, shrinkage: 0 });
    });

    it("migrates a bundle without lineage with MeLU's defaults (what serving adapted such bundles with)", () => {
      expect(parseModelContract(v1Config).contract.adaptation).toEqual(DEFAULT_ADAPTATION_SETTINGS);
      expect(parseModelContract(v1Config, { metrics: {} }).contract.adaptation).toEqual(DEFAULT_ADAPTATION_SETTINGS);
    });

    it('fills model config fields a version-1 bundle left out with the defaults its readers used', () => {
      const { contract, migratedFrom } = parseModelContract({ model: { embeddingDim: 4, hidden: [5, 3] }, featureLayout });
      expect(migratedFrom).toBe(1);
      expect(contract.model).toEqual({ ...DEFAULT_MODEL_CONFIG, embeddingDim: 4, hidden: [5, 3] });
    });

    it.each([
      [{ lineage: { spec: { inner: { steps: -1, lr: 0.1 } } } }, 'extra.json', 'lineage.spec.inner.steps'],
      [{ lineage: { spec: { inner: { steps: 5, lr: 'fast' } } } }, 'extra.json', 'lineage.spec.inner.lr'],
      [{ lineage: { spec: { inner: { steps: 5, lr: 0.1 } }, adaptation: { shrinkage: -2 } } }, 'extra.json', 'lineage.adaptation.shrinkage'],
      [{ lineage: 'r1' }, 'extra.json', 'lineage'],
    ])('names an invalid version-1 value where it is stored: %j', (extra, file, field) => {
      const e = refusal(() => parseModelContract(v1Config, extra));
      expect(e.code).toBe('ML_BUNDLE_FIELD_INVALID');
      expect(e.details).toMatchObject({ file, field });
    });

    it('names an invalid version-1 model field in config.json', () => {
      const e = refusal(() => parseModelContract({ model: { ...model.config, task: 'ranking' }, featureLayout }, calibrated));
      expect(e.details).toMatchObject({ file: 'config.json', field: 'model.task' });
    });
  });
});
