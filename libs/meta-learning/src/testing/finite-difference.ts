import { SeededRng } from '@metarec/runtime';
import type { UserTask } from '@metarec/schemas';

import { metaStep, type MetaStepOptions } from '../algorithms/meta-step.js';
import type { MetaModel } from '../model/meta-model.js';
import type { FlatParams } from '../params/param-layout.js';

/** Options of {@link worstDirectionalError}. */
export interface DirectionalCheckOptions {
  /** Length of the finite-difference step along each unit direction. @defaultValue 1e-2 */
  readonly eps?: number;
  /** Meta-loss whose finite difference is the reference. @defaultValue the checked options */
  readonly verify?: Partial<MetaStepOptions>;
  /** Seed of the random directions. @defaultValue 11 */
  readonly seed?: number;
}

/**
 * The largest relative error, over one random unit direction per parameter entry, between the
 * meta-gradient `metaStep` returns for `options` and a central finite difference of the meta-loss
 * (of `verify`): the check every backend's meta-gradient suite runs (wasm, tensorflow).
 */
export function worstDirectionalError(
  model: MetaModel,
  params: FlatParams,
  tasks: readonly UserTask[],
  options: Partial<MetaStepOptions>,
  check: DirectionalCheckOptions = {},
): number {
  const eps = check.eps ?? 1e-2;
  const verify = check.verify ?? options;
  const { gradient } = metaStep(model, params, tasks, options);
  const rng = new SeededRng(check.seed ?? 11);
  let worst = 0;
  for (const e of model.layout.entries) {
    const v = new Float32Array(params.length);
    let norm = 0;
    for (let i = e.offset; i < e.offset + e.size; i++) {
      v[i] = rng.normal();
      norm += v[i] * v[i];
    }
    const scale = eps / Math.sqrt(norm);
    const lossAt = (sign: number): number => metaStep(model, params.map((x, i) => x + sign * scale * v[i]), tasks, verify).loss;
    const fd = (lossAt(1) - lossAt(-1)) / (2 * eps);
    let analytic = 0;
    for (let i = e.offset; i < e.offset + e.size; i++) {
      analytic += (gradient[i] * v[i]) / Math.sqrt(norm);
    }
    worst = Math.max(worst, Math.abs(fd - analytic) / Math.max(Math.abs(fd), Math.abs(analytic), 1e-3));
  }
  return worst;
}
