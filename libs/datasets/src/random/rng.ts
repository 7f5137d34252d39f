import { DatasetError } from '../errors.js';

/** The whole state of an {@link Rng}: four unsigned 32-bit words (JSON-safe). */
export interface RngState {
  readonly a: number;
  readonly b: number;
  readonly c: number;
  readonly d: number;
}

const UINT32 = 0x1_0000_0000;

/**
 * A small, fast, seeded PRNG (Chris Doty-Humphrey's sfc32: 128-bit state, passes PractRand to
 * several TB), so generated data and task splits are reproducible on every platform and
 * Node version, unlike `Math.random`. Its state can be saved and restored exactly.
 */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  private constructor(state: RngState) {
    this.a = state.a >>> 0;
    this.b = state.b >>> 0;
    this.c = state.c >>> 0;
    this.d = state.d >>> 0;
  }

  /** A generator seeded from a 32-bit integer (other numbers are truncated) or a string. */
  static seeded(seed: number | string): Rng {
    let s = typeof seed === 'string' ? hashString(seed) : seed >>> 0;
    const next = (): number => {
      // splitmix32 expands one word into four well-mixed words.
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    const rng = new Rng({ a: next(), b: next(), c: next(), d: 1 });
    for (let k = 0; k < 12; k++) {
      rng.nextUint32(); // sfc32's recommended warm-up
    }
    return rng;
  }

  /**
   * Restores a generator saved with {@link Rng.state}.
   * @throws DatasetError `DS_SERIALIZED_INVALID` unless all four words are uint32 integers.
   */
  static fromState(state: unknown): Rng {
    const s = state as Partial<RngState> | null;
    const words = [s?.a, s?.b, s?.c, s?.d];
    if (!words.every((w) => typeof w === 'number' && Number.isInteger(w) && w >= 0 && w < UINT32)) {
      throw new DatasetError('DS_SERIALIZED_INVALID', 'RNG state needs four uint32 words a, b, c, d');
    }
    return new Rng(s as RngState);
  }

  /** The current state; `Rng.fromState(rng.state())` continues the same sequence. */
  state(): RngState {
    return { a: this.a, b: this.b, c: this.c, d: this.d };
  }

  /** Uniform integer in [0, 2^32). */
  nextUint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** Uniform float in [0, 1) with 32 bits of randomness. */
  next(): number {
    return this.nextUint32() / UINT32;
  }

  /** Uniform integer in [0, n) for 1 ≤ n ≤ 2^32 (multiply-shift; bias below 2^-32 · n). */
  nextInt(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Standard normal deviate (Box–Muller; one deviate per call keeps the state four words). */
  normal(): number {
    const u = 1 - this.next(); // (0, 1]: log(0) never happens
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  /** Shuffles `values` in place (Fisher–Yates) and returns it. */
  shuffle<T extends { length: number; [k: number]: number }>(values: T): T {
    for (let k = values.length - 1; k > 0; k--) {
      const j = this.nextInt(k + 1);
      const swap = values[k];
      values[k] = values[j];
      values[j] = swap;
    }
    return values;
  }
}

/** 32-bit FNV-1a hash of a string's UTF-16 code units: stable seeds from ids. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let k = 0; k < text.length; k++) {
    h = Math.imul(h ^ text.charCodeAt(k), 0x01000193);
  }
  return h >>> 0;
}
