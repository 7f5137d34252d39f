import { MetaLearningError } from '../errors.js';
import { assertFlatSize, type FlatParams, type ParamLayout } from '../params/param-layout.js';

/**
 * Adam state as plain typed arrays in the parameter layout plus the step count, so a checkpoint
 * stores it byte-exactly and the distributed trainer updates exactly as the in-process loop.
 */
export interface OptimizerState {
  /** Number of updates applied so far (Adam's t). */
  readonly step: number;
  /** First moment, layout order. */
  readonly m: Float32Array;
  /** Second moment, layout order. */
  readonly v: Float32Array;
}

/** Options of one outer update. */
export interface AdamOptions {
  /** Step size (already scheduled for this step). */
  readonly lr: number;
  /** @defaultValue 0.9 */
  readonly beta1: number;
  /** @defaultValue 0.999 */
  readonly beta2: number;
  /** @defaultValue 1e-8 */
  readonly eps: number;
  /** Coupled L2: adds `l2·θ` to the gradient before Adam. @defaultValue 0 */
  readonly l2: number;
  /** Decoupled weight decay (AdamW): θ ← θ − lr·wd·θ. @defaultValue 0 */
  readonly weightDecay: number;
  /** Clamp every gradient element to ±clipValue first (the PyTorch MeLU reference uses 10). 0 = off. @defaultValue 0 */
  readonly clipValue: number;
  /** Rescale the gradient to this global L2 norm when larger. 0 = off. @defaultValue 0 */
  readonly clipNorm: number;
}

/** Defaults as torch.optim.Adam; clipping off. */
export const DEFAULT_ADAM_OPTIONS: Omit<AdamOptions, 'lr'> = { beta1: 0.9, beta2: 0.999, eps: 1e-8, l2: 0, weightDecay: 0, clipValue: 0, clipNorm: 0 };

/** Result of `applyUpdate`: new arrays (inputs are not mutated). */
export interface UpdateResult {
  readonly params: FlatParams;
  readonly state: OptimizerState;
  /** L2 norm of the gradient after value clipping and L2, before norm clipping. */
  readonly gradNorm: number;
  /** True when norm clipping rescaled the gradient. */
  readonly clipped: boolean;
}

/** Zero moments, step 0. */
export function createOptimizerState(layout: ParamLayout): OptimizerState {
  return { step: 0, m: new Float32Array(layout.totalSize), v: new Float32Array(layout.totalSize) };
}

function resolve(options: Partial<AdamOptions> & { lr: number }): AdamOptions {
  const o = { ...DEFAULT_ADAM_OPTIONS, ...options };
  const checks: Array<[string, boolean]> = [
    ['lr', o.lr >= 0 && Number.isFinite(o.lr)],
    ['beta1', o.beta1 >= 0 && o.beta1 < 1],
    ['beta2', o.beta2 >= 0 && o.beta2 < 1],
    ['eps', o.eps > 0],
    ['l2', o.l2 >= 0],
    ['weightDecay', o.weightDecay >= 0],
    ['clipValue', o.clipValue >= 0],
    ['clipNorm', o.clipNorm >= 0],
  ];
  for (const [field, ok] of checks) {
    if (!ok) {
      throw new MetaLearningError('ML_CONFIG_INVALID', `AdamOptions.${field} is out of range`, { field });
    }
  }
  return o;
}

/**
 * L2 norm of the gradient after value clipping and coupled L2 (float64 math). The clipped value is
 * recomputed in the update pass instead of kept: a float64 copy of a MeLU-size gradient is 2.2 MB
 * per step, allocated and collected for nothing.
 */
function effectiveGradientNorm(params: FlatParams, gradient: Float32Array, o: AdamOptions): number {
  // Options in locals: property loads inside a 10^5-10^6 element loop cost ~5x the arithmetic.
  const { clipValue, l2 } = o;
  let sq = 0;
  for (let i = 0; i < gradient.length; i++) {
    let x = gradient[i];
    if (clipValue > 0) {
      x = Math.min(clipValue, Math.max(-clipValue, x));
    }
    x += l2 * params[i];
    sq += x * x;
  }
  return Math.sqrt(sq);
}

/**
 * One Adam step on flat arrays (pure: returns new params and state). Order: clip each element to
 * ±clipValue, add l2·θ, rescale to clipNorm, Adam with bias correction, then decoupled weight decay.
 * @throws MetaLearningError `ML_SIZE_MISMATCH` (array lengths), `ML_CONFIG_INVALID`, `ML_NON_FINITE` (NaN/Inf gradient).
 */
export function applyUpdate(params: FlatParams, state: OptimizerState, gradient: Float32Array, options: Partial<AdamOptions> & { lr: number }): UpdateResult {
  const o = resolve(options);
  const n = params.length;
  for (const [what, arr] of [
    ['gradient', gradient],
    ['state.m', state.m],
    ['state.v', state.v],
  ] as const) {
    assertFlatSize({ entries: [], totalSize: n }, arr, what);
  }
  const norm = effectiveGradientNorm(params, gradient, o);
  if (!Number.isFinite(norm)) {
    throw new MetaLearningError('ML_NON_FINITE', 'gradient has a non-finite element', { field: 'gradient' });
  }
  const clipped = o.clipNorm > 0 && norm > o.clipNorm;
  const scale = clipped ? o.clipNorm / norm : 1;
  const t = state.step + 1;
  const bc1 = 1 - Math.pow(o.beta1, t);
  const bc2 = 1 - Math.pow(o.beta2, t);
  const out = new Float32Array(n);
  const m = new Float32Array(n);
  const v = new Float32Array(n);
  const { beta1, beta2, eps, lr, weightDecay, clipValue, l2 } = o;
  const m0 = state.m;
  const v0 = state.v;
  for (let i = 0; i < n; i++) {
    // The same float64 arithmetic as effectiveGradientNorm, so the result is unchanged bit for bit.
    let x = gradient[i];
    if (clipValue > 0) {
      x = Math.min(clipValue, Math.max(-clipValue, x));
    }
    x += l2 * params[i];
    const gi = x * scale;
    const mi = beta1 * m0[i] + (1 - beta1) * gi;
    const vi = beta2 * v0[i] + (1 - beta2) * gi * gi;
    m[i] = mi;
    v[i] = vi;
    const update = (lr * (mi / bc1)) / (Math.sqrt(vi / bc2) + eps);
    out[i] = params[i] - update - lr * weightDecay * params[i];
  }
  return { params: out, state: { step: t, m, v }, gradNorm: norm, clipped };
}
