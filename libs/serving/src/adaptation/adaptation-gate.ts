import { requireInt, requireNumber } from '../errors.js';
import { mergeOptions } from '@metarec/runtime';

/** Options of {@link AdaptationGate}. */
export interface AdaptationGateOptions {
  /**
   * Sustained adaptations per second this process may run. An adaptation is synchronous CPU work
   * on the event loop (MeLU size, 5 steps: a few ms), so this caps the share of the loop cold
   * users can take. @defaultValue 200
   */
  readonly ratePerSec?: number;
  /** Token-bucket size: a burst above the rate that is still served. @defaultValue 20 */
  readonly burst?: number;
  /** Adaptations waiting their turn; beyond this a request is refused at once. @defaultValue 16 */
  readonly maxQueued?: number;
  /** Clock, ms (monotonic). @defaultValue `performance.now` */
  readonly now?: () => number;
}

/** Defaults laid under {@link AdaptationGateOptions}. */
export const DEFAULT_ADAPTATION_GATE_OPTIONS: Required<Omit<AdaptationGateOptions, 'now'>> = { ratePerSec: 200, burst: 20, maxQueued: 16 };

/** Why the gate refused an adaptation. */
export type GateRefusal = 'rate' | 'queue-full' | 'closed';

/** Result of {@link AdaptationGate.run}. */
export type GateResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly refusal: GateRefusal };

interface Job {
  readonly run: () => void;
}

/**
 * Per-process bound on adaptation work, so a burst of cold users cannot starve cached ones:
 * a token bucket (rate + burst) decides at once whether an adaptation may run at all (refused ones
 * are served from the prior by the caller), and admitted jobs run one at a time, each after
 * yielding to the event loop, so cached requests' I/O interleaves with a queue of adaptations.
 */
export class AdaptationGate {
  private readonly ratePerMs: number;
  private readonly burst: number;
  private readonly maxQueued: number;
  private readonly now: () => number;
  private tokens: number;
  private lastRefill: number;
  private readonly queue: Job[] = [];
  private draining = false;
  private closed = false;

  /** @throws ServingError `SERVING_OPTIONS_INVALID`. */
  constructor(options: AdaptationGateOptions = {}) {
    const o = mergeOptions(DEFAULT_ADAPTATION_GATE_OPTIONS, options);
    requireNumber('ratePerSec', o.ratePerSec, Number.MIN_VALUE);
    requireInt('burst', o.burst, 1);
    requireInt('maxQueued', o.maxQueued, 1);
    this.ratePerMs = o.ratePerSec / 1000;
    this.burst = o.burst;
    this.maxQueued = o.maxQueued;
    this.now = options.now ?? ((): number => performance.now());
    this.tokens = o.burst;
    this.lastRefill = this.now();
  }

  /** Adaptations admitted but not yet run. */
  get queued(): number {
    return this.queue.length;
  }

  /** Runs `work` in its turn if admitted; resolves `{ ok: false }` at once if refused. */
  run<T>(work: () => T): Promise<GateResult<T>> {
    if (this.closed) {
      return Promise.resolve({ ok: false, refusal: 'closed' });
    }
    if (this.queue.length >= this.maxQueued) {
      return Promise.resolve({ ok: false, refusal: 'queue-full' });
    }
    this.refill();
    if (this.tokens < 1) {
      return Promise.resolve({ ok: false, refusal: 'rate' });
    }
    this.tokens -= 1;
    return new Promise<GateResult<T>>((resolve, reject) => {
      this.queue.push({
        run: (): void => {
          try {
            resolve({ ok: true, value: work() });
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        },
      });
      this.drain();
    });
  }

  /** Refuses new work; queued jobs still run. */
  close(): void {
    this.closed = true;
  }

  private refill(): void {
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + (now - this.lastRefill) * this.ratePerMs);
    this.lastRefill = now;
  }

  private drain(): void {
    if (this.draining) {
      return;
    }
    this.draining = true;
    const step = (): void => {
      const job = this.queue.shift();
      if (job === undefined) {
        this.draining = false;
        return;
      }
      job.run();
      setImmediate(step);
    };
    setImmediate(step);
  }
}
