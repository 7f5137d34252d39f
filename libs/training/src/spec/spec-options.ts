import { createHash } from 'node:crypto';

import { DEFAULT_META_STEP_OPTIONS, type AdamOptions, type MetaStepOptions, type ModelConfig } from '@metarec/meta-learning';

import { dataIdentityOf, type RunSpec } from './run-spec.js';

/** The model config a spec asks for (`meta-sgd` turns on learned inner rates). */
export function modelConfigOf(spec: RunSpec): Partial<ModelConfig> {
  return { ...spec.model, metaSgd: spec.algorithm === 'meta-sgd' };
}

/**
 * The inner-loop options of every shard's meta-step. Task stacking keeps the core's default, so a
 * shard computes exactly what the in-process executor would for the same tasks.
 */
export function metaStepOptionsOf(spec: RunSpec): MetaStepOptions {
  return {
    algorithm: spec.algorithm === 'meta-sgd' ? 'maml' : spec.algorithm,
    innerSteps: spec.inner.steps,
    innerLr: spec.inner.lr,
    innerL2: spec.inner.l2,
    batchTasks: DEFAULT_META_STEP_OPTIONS.batchTasks,
  };
}

/** Adam settings other than the scheduled lr. */
export function adamOptionsOf(spec: RunSpec): Partial<Omit<AdamOptions, 'lr'>> {
  return { clipValue: spec.outer.clipValue, clipNorm: spec.outer.clipNorm, l2: spec.outer.l2, weightDecay: spec.outer.weightDecay };
}

/**
 * `sha256:<hex>` of the spec's canonical JSON: a checkpoint resumes only the spec it was written for.
 * `data.idDropout` enters only when on, so specs written before the field keep their hash (and their
 * checkpoints stay resumable).
 */
export function specHash(spec: RunSpec): string {
  // `sharding` is left out: like the worker count it changes only the float summation order, so a
  // run may resume under the other mode (and specs written before the field keep their hash).
  // `supportSizes` enters only when set, so specs written before the field keep their hash.
  // `shrinkageGrid` and `listHead` only shape the saved model after training: a run may resume with others.
  // `search` only drives `trainer tune` and `tuning` records its outcome: a tuned spec trains the same without them.
  const { sharding: _sharding, shrinkageGrid: _shrinkageGrid, listHead: _listHead, search: _search, tuning: _tuning, supportSizes, ...others } = spec;
  const rest = supportSizes.length === 0 ? others : { ...others, supportSizes };
  const canonical = spec.data.idDropout === 0 ? { ...rest, data: dataIdentityOf(spec.data) } : rest;
  return `sha256:${createHash('sha256').update(JSON.stringify(canonical)).digest('hex')}`;
}
