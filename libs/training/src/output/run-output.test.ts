import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { createMetaModel, initParams, loadModelBundle } from '@metarec/meta-learning';

import { tinyRunSpec } from '../testing/tiny-run-spec.js';
import { writeRunOutput, type RunLineage } from './run-output.js';

describe('writeRunOutput', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'run-output-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("writes a bundle whose contract carries the lineage's adaptation settings, and the lineage beside and inside it", async () => {
    const spec = tinyRunSpec(root);
    const featureLayout = { userFields: [{ name: 'user_id', cardinality: 10 }], itemFields: [{ name: 'item_id', cardinality: 12 }], categoryCount: 3, numericCount: 0 };
    const model = createMetaModel(featureLayout, { embeddingDim: 4, hidden: [6] });
    const params = initParams(model, 5);
    const calibration = { shrinkage: 4, users: 8, supportSizes: [1, 'all' as const], candidates: [] };
    const lineage: RunLineage = {
      runId: 'run-1',
      spec,
      dataVersion: 'synthetic',
      watermarks: [],
      dataWatermarkMs: null,
      schemaFingerprint: 'fp',
      gitCommit: 'abcdef0',
      steps: 4,
      bestStep: 4,
      bestValidationLoss: null,
      stoppedEarly: false,
      finalLoss: 0.5,
      evaluation: null,
      adaptation: { steps: 2, lr: 0.05, shrinkage: 4, calibration },
      startedAtMs: 1,
      finishedAtMs: 2,
    };
    const out = await writeRunOutput({ spec, model, params, vocabularies: { v: 1 }, lineage });
    const bundle = await loadModelBundle(out.modelDir);
    expect(bundle.migratedFrom).toBeNull();
    expect(bundle.contract.adaptation).toEqual({ steps: 2, lr: 0.05, shrinkage: 4 });
    expect(bundle.contract.model).toEqual(model.config);
    expect(bundle.params).toEqual(params);
    expect(bundle.extra).toEqual({ lineage: JSON.parse(JSON.stringify(lineage)) as unknown });
    expect(JSON.parse(await readFile(out.lineagePath, 'utf8'))).toEqual(JSON.parse(JSON.stringify(lineage)));
  });
});
