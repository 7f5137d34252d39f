import { RuntimeError } from '../errors.js';

import { hashString } from './hash-string.js';

/**
 * The whole state of a {@link SeededRng}: the generator's name and its four unsigned 32-bit words
 * (JSON-safe, so training checkpoints persist it and a resumed run continues the exact sequence).
 * The name makes a state saved by an older generator (mulberry32's `{ algorithm, state }`) fail
 * with a coded error instead of being misread.
 */
export interface RngState {
  readonly algorithm: 'sfc32';
  readonly a: number;
  readonly b: number;
  readonly c: number;
  readonly d: number;
}

const UINT32 = 0x1_0000_0000;

/** sfc32's recommended warm-up: discard this many outputs after seeding. */
const WARM_UP_DRAWS = 12;

/**
 * The one seeded PRNG of metarec: every random choice (synthetic worlds, task splits and support
 * sizes, parameter init, meta-batches, evaluation splits and negatives) draws from one of these, so
 * a seed fixes a run on every platform and Node version, unlike `Math.random`. Not cryptographic.
 *
 * Chris Doty-Humphrey's sfc32 was chosen over the mulberry32 variants the libs used before: its
 * 128-bit state (period ≥ 2^32, expected ~2^127) passes PractRand to several TB, where mulberry32's
 * single 32-bit word repeats after 2^32 draws and fails PractRand far earlier; both cost a handful
 * of 32-bit integer ops per draw, and sfc32's state is still four JSON-safe words.
 */
export class SeededRng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /**
   * A generator seeded from an integer (non-integers are truncated to their low 32 bits) or a string
   * (hashed with {@link hashString}). splitmix32 expands the seed into the state, so nearby seeds
   * (0, 1, 2, …) start far apart.
   * @throws RuntimeError `RT_RNG_STATE_INVALID` for a non-finite number.
   */
  constructor(seed: number | string) {
    if (typeof seed === 'number' && !Number.isFinite(seed)) {
      throw new RuntimeError('RT_RNG_STATE_INVALID', `seed must be a finite number or a string, got ${seed}`);
    }
    let s = typeof seed === 'string' ? hashString(seed) : seed >>> 0;
    const splitmix32 = (): number => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = splitmix32();
    this.b = splitmix32();
    this.c = splitmix32();
    this.d = 1;
    for (let k = 0; k < WARM_UP_DRAWS; k++) {
      this.nextUint32();
    }
  }

  /**
   * Restores a generator saved with {@link SeededRng.state}; it continues the same sequence.
   * @throws RuntimeError `RT_RNG_STATE_INVALID` unless `state` is an sfc32 state of four uint32 words.
   */
  static fromState(state: unknown): SeededRng {
    const s = state as Partial<RngState> | null;
    const words = [s?.a, s?.b, s?.c, s?.d];
    const valid = s?.algorithm === 'sfc32' && words.every((w) => typeof w === 'number' && Number.isInteger(w) && w >= 0 && w < UINT32);
    if (!valid) {
      throw new RuntimeError('RT_RNG_STATE_INVALID', `RNG state must be { algorithm: 'sfc32', a, b, c, d } with uint32 words, got ${JSON.stringify(state)}`);
    }
    const rng = new SeededRng(0);
    rng.a = s.a as number;
    rng.b = s.b as number;
    rng.c = s.c as number;
    rng.d = s.d as number;
    return rng;
  }

  /** The current state; `SeededRng.fromState(rng.state())` continues the same sequence. */
  state(): RngState {
    return { algorithm: 'sfc32', a: this.a, b: this.b, c: this.c, d: this.d };
  }

  /** Uniform integer in [0, 2^32). */
  nextUint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    // `>>> 0`: a bare `^` yields a signed int32, and a negative word made datasets' old copy refuse its own saved state.
    this.a = (this.b ^ (this.b >>> 9)) >>> 0;
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** Uniform float in [0, 1) with 32 bits of randomness. */
  next(): number {
    return this.nextUint32() / UINT32;
  }

  /** Uniform float in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** Uniform integer in [0, n) for 1 ≤ n ≤ 2^32 (multiply-shift; bias below 2^-32 · n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Standard normal deviate (Box–Muller; one deviate per call keeps the state four words). */
  normal(): number {
    const u = 1 - this.next(); // (0, 1]: log(0) never happens
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  /** Shuffles `values` (an array or a typed array) in place (Fisher–Yates) and returns it. */
  shuffle<A extends { length: number; [k: number]: unknown }>(values: A): A {
    for (let k = values.length - 1; k > 0; k--) {
      const j = this.int(k + 1);
      const swap = values[k];
      values[k] = values[j];
      values[j] = swap;
    }
    return values;
  }

  /** A uniformly random permutation of 0..n-1. */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let k = 0; k < n; k++) {
      p[k] = k;
    }
    return this.shuffle(p);
  }

  /** A new generator seeded from this one, for a sub-task whose draws must not shift this sequence's later use. */
  fork(): SeededRng {
    return new SeededRng(this.nextUint32());
  }
}
