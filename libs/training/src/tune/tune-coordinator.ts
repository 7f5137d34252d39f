import { createHash } from 'node:crypto';

import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

import { TrainingError } from '../errors.js';
import { assertSmallJson, JOB_SCHEMA_VERSION, TUNE_QUEUE, type TrialJobData } from '../queue/job-contracts.js';
import type { RunSpec } from '../spec/run-spec.js';
import { OBJECTIVE_GOAL, type SearchSpec } from '../spec/search-spec.js';
import type { TrainingLogger } from '../worker/training-worker.js';
import { liveWorkerSlots } from '../worker/worker-presence.js';
import { nextAshaAction, rungBudgets, type AshaAction } from './asha.js';
import { bestRunSpec } from './best-run-spec.js';
import { applyTrialParams, sampleTrialParams, trialSeed } from './search-space.js';
import { TUNE_STATE_VERSION, type TrialState, type TuneState } from './tune-state.js';
import type { TuneStore } from './tune-store.js';
import { tuningResultsOf, writeTuningResults, type TuningResults } from './tuning-results.js';

/** Options of {@link TuneCoordinator}. */
export interface TuneCoordinatorOptions {
  /** BullMQ connection (ioredis with `maxRetriesPerRequest: null`); shared, never quit here. */
  readonly connection: Redis;
  readonly store: TuneStore;
  readonly logger: TrainingLogger;
  /**
   * Trial jobs in flight at once. Fewer than the workers' slots idles them; more lets ASHA decide
   * on fewer results (promotions wait behind queued rung-0 trials). @defaultValue the live worker slots (at least 1), read at start
   */
  readonly maxInFlight?: number;
  /** Poll of the results of jobs in flight, ms. @defaultValue 250 */
  readonly pollIntervalMs?: number;
  /** Seconds BullMQ keeps finished trial jobs (the results live under their own keys). @defaultValue 3600 */
  readonly keepJobsSec?: number;
  /** Receives a snapshot after every change of the state. */
  readonly onProgress?: (progress: TuneProgress) => void;
  readonly now?: () => number;
}

/** Defaults of {@link TuneCoordinatorOptions}. */
export const DEFAULT_TUNE_COORDINATOR_OPTIONS = { pollIntervalMs: 250, keepJobsSec: 3600 } as const;

/** Progress of a search. */
export interface TuneProgress {
  readonly tuneId: string;
  /** (trial, rung) results recorded, and ASHA's expected number of jobs (Σ ⌈trials / eta^r⌉). */
  readonly results: number;
  readonly expectedJobs: number;
  readonly trialsStarted: number;
  readonly trials: number;
  readonly inFlight: number;
  /** Best objective so far at the highest rung reached, or null. */
  readonly best: number | null;
}

/** Per-search options of {@link TuneCoordinator.tune}. */
export interface TuneOptions {
  /** Continue the stored search of this spec (else its existing state is an error). @defaultValue false */
  readonly resume?: boolean;
}

/** What a finished search produced. */
export interface TuneResult {
  readonly tuneId: string;
  readonly results: TuningResults;
  readonly resultsPath: string;
  /** The best configuration as a complete run spec (see {@link bestRunSpec}), or null when no trial finished. */
  readonly bestSpec: RunSpec | null;
}

/** A search's id: `t-` + 12 hex of the spec's JSON (the same spec resumes the same search). */
export function tuneIdOf(spec: RunSpec): string {
  return `t-${createHash('sha256').update(JSON.stringify(spec)).digest('hex').slice(0, 12)}`;
}

/** Job id of a trial at a rung (no ':' allowed in BullMQ custom ids): a restarted coordinator re-adding it is deduplicated. */
export function trialJobId(tuneId: string, trial: number, rung: number): string {
  return `${tuneId}_${trial}_${rung}`;
}

/** ASHA's expected job count: ⌈trials / eta^r⌉ summed over the rungs. */
function expectedJobs(trials: number, eta: number, rungs: number): number {
  let total = 0;
  for (let r = 0; r < rungs; r++) {
    total += Math.ceil(trials / eta ** r);
  }
  return total;
}

/**
 * The coordinator of a hyperparameter search (`trainer tune`): random configurations from the
 * spec's search space, trained and scored as trial jobs on the training workers' trial queue, cut
 * by ASHA ({@link nextAshaAction}). Every decision is written to Redis before its job is added, and
 * results arrive under their own keys, so a coordinator killed at any point resumes with the same
 * state: jobs in flight are re-added under their deterministic ids (deduplicated by BullMQ) and a
 * finished (trial, rung) is never run again. With one job in flight at a time the search, and
 * so its table, is the same however often it is stopped.
 */
export class TuneCoordinator {
  private readonly o: TuneCoordinatorOptions & { readonly pollIntervalMs: number; readonly keepJobsSec: number };
  private readonly queue: Queue;
  private closing: Promise<void> | null = null;
  private wakeSleep: (() => void) | null = null;

  /** @throws TrainingError `TRAIN_OPTIONS_INVALID`. */
  constructor(options: TuneCoordinatorOptions) {
    this.o = { ...DEFAULT_TUNE_COORDINATOR_OPTIONS, ...options };
    if (!(this.o.pollIntervalMs >= 10) || !(this.o.keepJobsSec >= 1) || (this.o.maxInFlight !== undefined && !(Number.isInteger(this.o.maxInFlight) && this.o.maxInFlight >= 1))) {
      throw new TrainingError('TRAIN_OPTIONS_INVALID', 'TuneCoordinatorOptions: pollIntervalMs must be >= 10, keepJobsSec >= 1, maxInFlight a positive integer', { field: 'maxInFlight' });
    }
    this.queue = new Queue(TUNE_QUEUE, { connection: this.o.connection });
    this.queue.on('error', (e) => this.o.logger.warn({ err: e.message }, 'tune queue connection error'));
  }

  /**
   * Runs (or, with `resume`, continues) the search of `spec` to its end and writes `tuning.json`.
   * @throws TrainingError `TRAIN_SPEC_INVALID` (no search block, or a sampled value invalid in the spec),
   * `TRAIN_TUNE_EXISTS` (state stored and no `resume`), `TRAIN_CLOSED` (closed mid-search: resume it).
   */
  async tune(spec: RunSpec, options: TuneOptions = {}): Promise<TuneResult> {
    const search = spec.search;
    if (search === undefined) {
      throw new TrainingError('TRAIN_SPEC_INVALID', 'run spec search: `trainer tune` needs a search block', { field: 'search' });
    }
    const rungs = rungBudgets(search.minSteps, search.maxSteps, search.eta);
    // Every configuration is checked before the first job: a bad path fails now, not hours in.
    for (let t = 0; t < search.trials; t++) {
      applyTrialParams(spec, sampleTrialParams(search, t), trialSeed(search.seed, t));
    }
    const tuneId = tuneIdOf(spec);
    const state = await this.startState(tuneId, rungs, options.resume === true);
    const liveSlots = await liveWorkerSlots(this.o.connection);
    if (liveSlots === 0) {
      this.o.logger.warn({ tuneId }, 'no live trainer worker: trial jobs wait in the queue until one starts');
    }
    const maxInFlight = this.o.maxInFlight ?? Math.max(1, liveSlots);
    this.o.logger.info({ tuneId, trials: search.trials, rungs, maxInFlight, resumedTrials: state.trials.length }, 'tune started');
    for (const t of state.trials) {
      if (t.running !== null) {
        await this.addJob(spec, search, tuneId, t.trial, t.running);
      }
    }
    for (;;) {
      const collected = await this.collect(spec, search, state);
      const action = await this.dispatch(spec, search, state, maxInFlight);
      if (collected || action.dispatched) {
        this.report(state, search);
      }
      if (action.last.kind === 'done') {
        break;
      }
      if (this.closing !== null) {
        throw new TrainingError('TRAIN_CLOSED', `tune coordinator closed during search ${tuneId}; run it again with resume to continue`, { tuneId });
      }
      await this.sleep();
    }
    const results = tuningResultsOf(state, search, true);
    const resultsPath = await writeTuningResults(spec, results);
    const best = results.best;
    const bestSpec = bestRunSpec(spec, results, resultsPath);
    this.o.logger.info({ tuneId, best: best?.trial ?? null, metric: best?.metric ?? null, resultsPath }, 'tune finished');
    return { tuneId, results, resultsPath, bestSpec };
  }

  /** Stops the search at its next poll (jobs in flight finish on their workers) and closes the queue. Safe to call twice. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.wakeSleep?.();
      await this.queue.close().catch((e: unknown) => this.o.logger.error({ err: String(e) }, 'closing the tune queue failed'));
    })();
    return this.closing;
  }

  private async startState(tuneId: string, rungs: number[], resume: boolean): Promise<TuneState> {
    const stored = await this.o.store.getState(tuneId);
    if (stored !== null && !resume) {
      throw new TrainingError('TRAIN_TUNE_EXISTS', `search ${tuneId} of this spec has stored state: resume it, or change the spec (e.g. search.seed)`, { tuneId });
    }
    if (stored !== null) {
      return stored;
    }
    if (resume) {
      this.o.logger.info({ tuneId }, 'nothing stored to resume for this spec; starting the search');
    }
    const state: TuneState = { v: TUNE_STATE_VERSION, tuneId, rungs, trials: [], createdAtMs: (this.o.now ?? Date.now)() };
    await this.o.store.putState(state);
    return state;
  }

  /** Folds in the results of jobs in flight and marks trials whose job failed for good; true when anything changed. */
  private async collect(spec: RunSpec, search: SearchSpec, state: TuneState): Promise<boolean> {
    let changed = false;
    for (const t of state.trials) {
      if (t.running === null) {
        continue;
      }
      const rung = t.running;
      const result = await this.o.store.getResult(state.tuneId, t.trial, rung);
      if (result !== null) {
        replaceTrial(state, { ...t, results: [...t.results, { metric: result.metric, foldMetrics: result.foldMetrics, diverged: result.diverged }], running: null });
        changed = true;
        continue;
      }
      const job = await this.queue.getJob(trialJobId(state.tuneId, t.trial, rung));
      if (job === undefined) {
        // Removed (its age passed) or lost with a Redis restart before the result: run it again.
        this.o.logger.warn({ tuneId: state.tuneId, trial: t.trial, rung }, 'trial job without result is gone; adding it again');
        await this.addJob(spec, search, state.tuneId, t.trial, rung);
      } else if ((await job.getState()) === 'failed') {
        replaceTrial(state, { ...t, running: null, failed: job.failedReason || 'failed' });
        this.o.logger.warn({ tuneId: state.tuneId, trial: t.trial, rung, reason: job.failedReason }, 'trial failed');
        changed = true;
      }
    }
    if (changed) {
      await this.o.store.putState(state);
    }
    return changed;
  }

  /** Starts or promotes trials while ASHA has work and slots are free; the state is stored before each job is added. */
  private async dispatch(spec: RunSpec, search: SearchSpec, state: TuneState, maxInFlight: number): Promise<{ dispatched: boolean; last: AshaAction }> {
    let dispatched = false;
    // ASHA ranks lower first: a maximised objective enters negated.
    const sign = OBJECTIVE_GOAL[search.objective] === 'max' ? -1 : 1;
    const view = (): Array<{ results: Array<number | null>; running: number | null; failed: boolean }> =>
      state.trials.map((t) => ({ results: t.results.map((r) => (r.metric === null ? null : sign * r.metric)), running: t.running, failed: t.failed !== null }));
    for (;;) {
      const action = nextAshaAction(view(), { rungCount: state.rungs.length, eta: search.eta, maxTrials: search.trials });
      const inFlight = state.trials.filter((t) => t.running !== null).length;
      if ((action.kind !== 'start' && action.kind !== 'promote') || inFlight >= maxInFlight || this.closing !== null) {
        return { dispatched, last: action };
      }
      if (action.kind === 'start') {
        const params = sampleTrialParams(search, action.trial);
        const seed = trialSeed(search.seed, action.trial);
        await this.o.store.putTrialSpec(state.tuneId, action.trial, applyTrialParams(spec, params, seed));
        state.trials.push({ trial: action.trial, params, seed, results: [], running: 0, failed: null });
      } else {
        replaceTrial(state, { ...state.trials[action.trial], running: action.rung });
      }
      await this.o.store.putState(state);
      await this.addJob(spec, search, state.tuneId, action.trial, action.kind === 'start' ? 0 : action.rung);
      dispatched = true;
    }
  }

  private async addJob(spec: RunSpec, search: SearchSpec, tuneId: string, trial: number, rung: number): Promise<void> {
    const data: TrialJobData = { v: JOB_SCHEMA_VERSION, tuneId, trial, rung, steps: rungBudgets(search.minSteps, search.maxSteps, search.eta)[rung], folds: search.folds, foldSeed: search.seed, objective: search.objective };
    assertSmallJson(data, 'trial job data');
    await this.queue.add('trial', data, {
      jobId: trialJobId(tuneId, trial, rung),
      attempts: spec.attempts,
      backoff: { type: 'exponential', delay: spec.backoffMs },
      removeOnComplete: { age: this.o.keepJobsSec },
      removeOnFail: { age: 24 * 3600 },
    });
  }

  private report(state: TuneState, search: SearchSpec): void {
    if (this.o.onProgress === undefined) {
      return;
    }
    const snapshot = tuningResultsOf(state, search, false);
    this.o.onProgress({
      tuneId: state.tuneId,
      results: state.trials.reduce((n, t) => n + t.results.length, 0),
      expectedJobs: expectedJobs(search.trials, search.eta, state.rungs.length),
      trialsStarted: state.trials.length,
      trials: search.trials,
      inFlight: state.trials.filter((t) => t.running !== null).length,
      best: snapshot.best?.metric ?? null,
    });
  }

  private sleep(): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wakeSleep = null;
        resolve();
      };
      const timer = setTimeout(done, this.o.pollIntervalMs);
      this.wakeSleep = done;
    });
  }
}

/** The state keeps trial i at index i; a trial is replaced, never mutated, so snapshots stay consistent. */
function replaceTrial(state: TuneState, trial: TrialState): void {
  state.trials[trial.trial] = trial;
}
