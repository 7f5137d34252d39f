import { randomBytes } from 'node:crypto';

import type { Redis } from 'ioredis';

import { trainingKeys } from '../blobs/training-keys.js';
import { TrainingError } from '../errors.js';

/** Options of {@link RunLease.acquire}. */
export interface RunLeaseOptions {
  /** The lease lapses this long after its last renewal (a killed coordinator frees the run id). @defaultValue 15_000 */
  readonly ttlMs?: number;
  /**
   * How long to wait for a held lease to be released or to lapse before failing (a resume right
   * after a `kill -9` waits out the dead holder's TTL). @defaultValue 0 (fail at once)
   */
  readonly waitMs?: number;
  /** Called once when the lease is held by another and this call waits for it. */
  readonly onWait?: (heldForMs: number) => void;
  /** Renewal period; well under `ttlMs`. @defaultValue ttlMs / 3 */
  readonly renewEveryMs?: number;
  /** Called once if a renewal finds the lease held by another token (the run must stop). */
  readonly onLost?: (reason: string) => void;
  /** Called when a renewal could not reach Redis (the lease may lapse; the next renewal decides). */
  readonly onRenewFailed?: (reason: string) => void;
}

/**
 * Extends the lease while it holds our token (1); takes it back if the key is gone (2: a Redis
 * restart without persistence loses it, and nobody else took it meanwhile); 0 when another token
 * holds it.
 */
const RENEW = `local v = redis.call('get', KEYS[1])
if v == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end
if not v then redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 2 end
return 0`;
/** Deletes the lease only while it still holds our token (compare-and-delete). */
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/**
 * Exclusive ownership of a run id by one coordinator: a Redis key set with NX to a random fencing
 * token, renewed on a timer with compare-and-expire and released with compare-and-delete, so two
 * coordinators of the same run (a kill that hit a wrapper, a scheduled run started twice) never
 * interleave their steps: the second one fails at once with `TRAIN_RUN_LEASED`, and a coordinator
 * whose lease was lost (Redis flushed, a pause longer than the TTL) learns it at the next renewal
 * and at every `assertHeld`. A lease key lost with a Redis restart is taken back by its holder.
 */
export class RunLease {
  private timer: NodeJS.Timeout | undefined;
  private lost: string | null = null;

  private constructor(
    private readonly redis: Redis,
    readonly runId: string,
    readonly token: string,
    private readonly ttlMs: number,
    private readonly onLost: ((reason: string) => void) | undefined,
    private readonly onRenewFailed: ((reason: string) => void) | undefined,
  ) {}

  /**
   * Takes the lease of `runId` or fails.
   * @throws TrainingError `TRAIN_RUN_LEASED` naming the run when another coordinator holds it; `TRAIN_OPTIONS_INVALID` for bad timings.
   */
  static async acquire(redis: Redis, runId: string, options: RunLeaseOptions = {}): Promise<RunLease> {
    const ttlMs = options.ttlMs ?? 15_000;
    const renewEveryMs = options.renewEveryMs ?? Math.floor(ttlMs / 3);
    if (!(Number.isInteger(ttlMs) && ttlMs >= 100) || !(Number.isInteger(renewEveryMs) && renewEveryMs >= 10 && renewEveryMs < ttlMs)) {
      throw new TrainingError('TRAIN_OPTIONS_INVALID', `run lease: ttlMs must be an integer >= 100 and renewEveryMs in [10, ttlMs), got ${ttlMs} / ${renewEveryMs}`, { field: 'ttlMs' });
    }
    const token = randomBytes(12).toString('hex');
    const key = trainingKeys.lease(runId);
    const deadline = Date.now() + (options.waitMs ?? 0);
    let taken = await redis.set(key, token, 'PX', ttlMs, 'NX');
    if (taken !== 'OK' && Date.now() < deadline) {
      options.onWait?.(Math.max(0, await redis.pttl(key)));
    }
    while (taken !== 'OK' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(250, Math.max(1, deadline - Date.now()))));
      taken = await redis.set(key, token, 'PX', ttlMs, 'NX');
    }
    if (taken !== 'OK') {
      const ttl = await redis.pttl(key);
      throw new TrainingError('TRAIN_RUN_LEASED', `run ${runId} is being coordinated by another process (its lease expires in ${Math.max(0, ttl)} ms unless renewed); wait for it or use another run id`, {
        field: 'runId',
      });
    }
    const lease = new RunLease(redis, runId, token, ttlMs, options.onLost, options.onRenewFailed);
    lease.timer = setInterval(() => void lease.renew(), renewEveryMs);
    lease.timer.unref();
    return lease;
  }

  /** @throws TrainingError `TRAIN_RUN_LEASED` once the lease was found lost. */
  assertHeld(): void {
    if (this.lost !== null) {
      throw new TrainingError('TRAIN_RUN_LEASED', `run ${this.runId}: this coordinator lost its lease (${this.lost}); stopping so that two coordinators never step the same run`, { field: 'runId' });
    }
  }

  /** Stops renewing and deletes the lease if it is still ours. Safe to call twice. */
  async release(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.redis.eval(RELEASE, 1, trainingKeys.lease(this.runId), this.token);
  }

  private async renew(): Promise<void> {
    if (this.lost !== null) {
      return;
    }
    try {
      const kept = await this.redis.eval(RENEW, 1, trainingKeys.lease(this.runId), this.token, String(this.ttlMs));
      if (kept === 0) {
        this.markLost('another coordinator holds it');
      }
    } catch (error) {
      // Redis unreachable: the lease may lapse; the next renewal decides. Not lost yet.
      this.onRenewFailed?.(error instanceof Error ? error.message : String(error));
    }
  }

  private markLost(reason: string): void {
    this.lost = reason;
    clearInterval(this.timer);
    this.onLost?.(reason);
  }
}
