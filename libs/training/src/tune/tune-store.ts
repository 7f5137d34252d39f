import type { Redis } from 'ioredis';

import { trainingKeys } from '../blobs/training-keys.js';
import { TrainingError } from '../errors.js';
import { parsePayload, trialResultSchema, type TrialResult } from '../queue/job-contracts.js';
import { parseRunSpec, type RunSpec } from '../spec/run-spec.js';
import { tuneStateSchema, type TuneState } from './tune-state.js';

/** Options of {@link TuneStore}. */
export interface TuneStoreOptions {
  /** A connected client; the store never quits it. */
  readonly redis: Redis;
  /** Lifetime of a search's keys, ms, renewed on every state write. @defaultValue 2_592_000_000 (30 days) */
  readonly ttlMs?: number;
}

/** Defaults of {@link TuneStoreOptions}. */
export const DEFAULT_TUNE_STORE_OPTIONS = { ttlMs: 30 * 86_400_000 } as const;

/** A search's data in Redis: its state (coordinator), each trial's spec (coordinator) and rung results (workers, written once). */
export class TuneStore {
  private readonly redis: Redis;
  private readonly ttlMs: number;

  /** @throws TrainingError `TRAIN_OPTIONS_INVALID`. */
  constructor(options: TuneStoreOptions) {
    const o = { ...DEFAULT_TUNE_STORE_OPTIONS, ...options };
    if (!Number.isSafeInteger(o.ttlMs) || o.ttlMs < 1000) {
      throw new TrainingError('TRAIN_OPTIONS_INVALID', 'TuneStoreOptions.ttlMs must be an integer >= 1000 ms', { field: 'ttlMs' });
    }
    this.redis = o.redis;
    this.ttlMs = o.ttlMs;
  }

  /** @throws TrainingError `TRAIN_PAYLOAD_INVALID` when the stored state is not of this version. */
  async getState(tuneId: string): Promise<TuneState | null> {
    const text = await this.redis.get(trainingKeys.tuneState(tuneId));
    if (text === null) {
      return null;
    }
    const parsed = tuneStateSchema.safeParse(JSON.parse(text) as unknown);
    if (!parsed.success) {
      throw new TrainingError('TRAIN_PAYLOAD_INVALID', `stored state of search ${tuneId} is invalid (${parsed.error.issues[0].message}); start a new search`, { field: 'tuneState' });
    }
    return parsed.data;
  }

  async putState(state: TuneState): Promise<void> {
    await this.redis.set(trainingKeys.tuneState(state.tuneId), JSON.stringify(state), 'PX', this.ttlMs);
  }

  async putTrialSpec(tuneId: string, trial: number, spec: RunSpec): Promise<void> {
    await this.redis.set(trainingKeys.tuneTrialSpec(tuneId, trial), JSON.stringify(spec), 'PX', this.ttlMs);
  }

  /** @throws TrainingError `TRAIN_RUN_NOT_FOUND` (no spec stored), `TRAIN_SPEC_INVALID`. */
  async getTrialSpec(tuneId: string, trial: number): Promise<RunSpec> {
    const text = await this.redis.get(trainingKeys.tuneTrialSpec(tuneId, trial));
    if (text === null) {
      throw new TrainingError('TRAIN_RUN_NOT_FOUND', `no spec stored for trial ${trial} of search ${tuneId}`, { tuneId, trial });
    }
    return parseRunSpec(JSON.parse(text) as unknown);
  }

  /** Stores a trial's rung result unless one is there (a re-run after a stall computes the same); true when this one was kept. */
  async putResult(tuneId: string, trial: number, rung: number, result: TrialResult): Promise<boolean> {
    const r = await this.redis.set(trainingKeys.tuneResult(tuneId, trial, rung), JSON.stringify(result), 'PX', this.ttlMs, 'NX');
    return r === 'OK';
  }

  /** @throws TrainingError `TRAIN_PAYLOAD_INVALID` for a malformed result. */
  async getResult(tuneId: string, trial: number, rung: number): Promise<TrialResult | null> {
    const text = await this.redis.get(trainingKeys.tuneResult(tuneId, trial, rung));
    return text === null ? null : parsePayload(trialResultSchema, JSON.parse(text) as unknown, 'trial result');
  }
}
