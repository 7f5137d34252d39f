import type { SeededRng } from '@metarec/runtime';
import { solveSpdInPlace } from './ridge-solve.js';

/**
 * Factors of r ≈ μ + b_u + b_i + p_u·q_i. Row `u` of `userFactors` is `p_u` (`factors` wide).
 * With `factors = 0` this is the user + item bias model.
 */
export interface BiasedFactors {
  readonly factors: number;
  readonly mean: number;
  readonly userBias: Float64Array;
  readonly itemBias: Float64Array;
  readonly userFactors: Float64Array;
  readonly itemFactors: Float64Array;
}

/** Regularisation of one ALS half-step. */
export interface AlsPenalty {
  /** L2 weight on factor vectors. */
  readonly factor: number;
  /** L2 weight on biases. */
  readonly bias: number;
}

/**
 * Ridge-solves one side's [vector, bias] given the other side: for a row set with partner
 * vectors `other` (k wide) and partner biases, target r − μ − partnerBias. Writes into
 * `outVec` at `outAt` and returns the bias. Exported for fold-in (a new user from a support set).
 */
export function solveSide(
  k: number,
  partners: ArrayLike<number>,
  ratings: ArrayLike<number>,
  mean: number,
  otherVec: Float64Array,
  otherBias: Float64Array,
  penalty: AlsPenalty,
  outVec: Float64Array,
  outAt: number,
): number {
  const d = k + 1;
  const a = new Float64Array(d * d);
  const b = new Float64Array(d);
  for (let j = 0; j < partners.length; j++) {
    const p = partners[j];
    const y = ratings[j] - mean - otherBias[p];
    for (let x = 0; x < k; x++) {
      const vx = otherVec[p * k + x];
      for (let z = 0; z <= x; z++) {
        a[x * d + z] += vx * otherVec[p * k + z];
      }
      a[k * d + x] += vx;
      b[x] += vx * y;
    }
    a[k * d + k] += 1;
    b[k] += y;
  }
  for (let x = 0; x < d; x++) {
    a[x * d + x] += x < k ? penalty.factor : penalty.bias;
    for (let z = x + 1; z < d; z++) {
      a[x * d + z] = a[z * d + x];
    }
  }
  solveSpdInPlace(a, b, d);
  for (let x = 0; x < k; x++) {
    outVec[outAt + x] = b[x];
  }
  return b[k];
}

interface Grouped {
  readonly offsets: Int32Array;
  readonly partners: Int32Array;
  readonly ratings: Float32Array;
}

function groupBy(keys: Int32Array, partners: Int32Array, ratings: Float32Array, count: number): Grouped {
  const offsets = new Int32Array(count + 1);
  for (const key of keys) {
    offsets[key + 1]++;
  }
  for (let c = 0; c < count; c++) {
    offsets[c + 1] += offsets[c];
  }
  const cursor = offsets.slice(0, count);
  const p = new Int32Array(keys.length);
  const r = new Float32Array(keys.length);
  for (let j = 0; j < keys.length; j++) {
    const at = cursor[keys[j]]++;
    p[at] = partners[j];
    r[at] = ratings[j];
  }
  return { offsets, partners: p, ratings: r };
}

/** Training rows and settings for {@link fitBiasedAls}. */
export interface AlsInput {
  readonly userCount: number;
  readonly itemCount: number;
  readonly users: Int32Array;
  readonly items: Int32Array;
  readonly ratings: Float32Array;
  readonly factors: number;
  readonly penalty: AlsPenalty;
  readonly iterations: number;
  /** Initial factor scale (normal std). */
  readonly initStd: number;
  readonly rng: SeededRng;
}

/**
 * Alternating least squares for the biased factor model (Koren, Bell & Volinsky 2009; biases
 * solved jointly with the vectors as an extra constant column). Rows of users/items without
 * training ratings stay at zero (prediction falls back to μ + the other side).
 */
export function fitBiasedAls(input: AlsInput): BiasedFactors {
  const { userCount, itemCount, factors: k } = input;
  let sum = 0;
  for (const r of input.ratings) {
    sum += r;
  }
  const mean = input.ratings.length === 0 ? 0 : sum / input.ratings.length;
  const byUser = groupBy(input.users, input.items, input.ratings, userCount);
  const byItem = groupBy(input.items, input.users, input.ratings, itemCount);
  const model: BiasedFactors = {
    factors: k,
    mean,
    userBias: new Float64Array(userCount),
    itemBias: new Float64Array(itemCount),
    userFactors: new Float64Array(userCount * k),
    itemFactors: Float64Array.from({ length: itemCount * k }, () => input.initStd * input.rng.normal()),
  };
  for (let i = 0; i < itemCount; i++) {
    if (byItem.offsets[i + 1] === byItem.offsets[i]) {
      model.itemFactors.fill(0, i * k, i * k + k);
    }
  }
  for (let it = 0; it < input.iterations; it++) {
    halfStep(byUser, model, k, input.penalty, 'user');
    halfStep(byItem, model, k, input.penalty, 'item');
  }
  return model;
}

function halfStep(g: Grouped, m: BiasedFactors, k: number, penalty: AlsPenalty, side: 'user' | 'item'): void {
  const [outVec, outBias, otherVec, otherBias] =
    side === 'user' ? [m.userFactors, m.userBias, m.itemFactors, m.itemBias] : [m.itemFactors, m.itemBias, m.userFactors, m.userBias];
  for (let c = 0; c + 1 < g.offsets.length; c++) {
    const a = g.offsets[c];
    const b = g.offsets[c + 1];
    if (a === b) {
      continue;
    }
    outBias[c] = solveSide(k, g.partners.subarray(a, b), g.ratings.subarray(a, b), m.mean, otherVec, otherBias, penalty, outVec, c * k);
  }
}
