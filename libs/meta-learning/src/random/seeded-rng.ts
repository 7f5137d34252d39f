import { MetaLearningError } from '../errors.js';

/** Serializable RNG state: one uint32, so a checkpoint can resume the exact random sequence. */
export interface RngState {
  readonly algorithm: 'mulberry32';
  readonly state: number;
}

/**
 * A small, fast, seeded PRNG (mulberry32: 32-bit state, period 2^32, passes gjrand/PractRand to
 * moderate sizes) for every random choice in the model math: init, task sampling, shuffles.
 * Not cryptographic. The same seed gives the same sequence on every platform.
 */
export class SeededRng {
  private s: number;

  constructor(seed: number) {
    if (!Number.isFinite(seed)) {
      throw new MetaLearningError('ML_RNG_STATE_INVALID', `seed must be a finite number, got ${seed}`, { seed });
    }
    this.s = seed >>> 0;
  }

  /** Restores a generator from `state()`. @throws MetaLearningError `ML_RNG_STATE_INVALID`. */
  static fromState(state: RngState): SeededRng {
    if (state.algorithm !== 'mulberry32' || !Number.isInteger(state.state) || state.state < 0 || state.state > 0xffffffff) {
      throw new MetaLearningError('ML_RNG_STATE_INVALID', 'RNG state is not a mulberry32 uint32 state', { state });
    }
    return new SeededRng(state.state);
  }

  /** The current state; `SeededRng.fromState(rng.state())` continues the same sequence. */
  state(): RngState {
    return { algorithm: 'mulberry32', state: this.s };
  }

  /** Next uint32. */
  nextUint32(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Standard normal (Box–Muller; one draw per call, the pair's second value is discarded for simplicity of state). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Fisher–Yates shuffle in place; returns `items`. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
    return items;
  }

  /** A new independent generator seeded from this one (for a sub-task that must not shift this sequence's use). */
  fork(): SeededRng {
    return new SeededRng(this.nextUint32());
  }
}
