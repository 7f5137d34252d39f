/** Prefix of every Redis key `@metarec/training` writes (beside BullMQ's own `bull:` keys). */
export const TRAINING_KEY_PREFIX = 'metarec:train';

/** The Redis keys of one run: the only place they are built. */
export const trainingKeys = {
  /** Parameters published for `step` (version = the step they are the input of). */
  params: (runId: string, step: number): string => `${TRAINING_KEY_PREFIX}:${runId}:params:${step}`,
  /** The accepted gradient of one shard of one step (written once: SET NX). */
  gradient: (runId: string, step: number, shard: number): string => `${TRAINING_KEY_PREFIX}:${runId}:grad:${step}:${shard}`,
  /**
   * Pub/sub channel on which a worker announces a stored shard gradient (message `<step>:<shard>`),
   * so the coordinator's barrier wakes at once instead of on its next poll. Only a wake-up hint:
   * the result keys stay the truth, and a lost message costs one poll interval.
   */
  shardDone: (runId: string): string => `${TRAINING_KEY_PREFIX}:${runId}:shard-done`,
  /**
   * Shard count of a step's plan, fixed by the first coordinator that planned it (SET NX), so a
   * coordinator restarted with a different number of live workers reuses the shard results keyed
   * by that plan instead of mixing two plans.
   */
  shardCount: (runId: string, step: number): string => `${TRAINING_KEY_PREFIX}:${runId}:shards:${step}`,
  /** Live shard workers: sorted set of worker ids scored by announcement expiry (ms since epoch). */
  workers: (): string => `${TRAINING_KEY_PREFIX}:workers`,
  /** Slots (concurrency) of each live shard worker: hash worker id → count. */
  workerSlots: (): string => `${TRAINING_KEY_PREFIX}:worker-slots`,
  /** The run's spec JSON, read by workers. */
  spec: (runId: string): string => `${TRAINING_KEY_PREFIX}:${runId}:spec`,
  /**
   * Index of runs with a status: sorted set of run ids scored by their last status write (ms since
   * epoch), so the dashboard lists runs without scanning the keyspace.
   */
  runIndex: (): string => `${TRAINING_KEY_PREFIX}:runs`,
  /** The run's status JSON (progress), read by `trainer status`. */
  status: (runId: string): string => `${TRAINING_KEY_PREFIX}:${runId}:status`,
  /** The coordinator lease of a run (a fencing token; see `RunLease`). */
  lease: (runId: string): string => `${TRAINING_KEY_PREFIX}:${runId}:lease`,
  /** A search's state JSON (every trial's parameters, rung results, status), written by its coordinator only. */
  tuneState: (tuneId: string): string => `${TRAINING_KEY_PREFIX}:tune:${tuneId}:state`,
  /** The run spec a trial trains (its sampled parameters set), read by workers. */
  tuneTrialSpec: (tuneId: string, trial: number): string => `${TRAINING_KEY_PREFIX}:tune:${tuneId}:trial:${trial}:spec`,
  /** A trial's result at a rung (written once: SET NX), read by the coordinator. */
  tuneResult: (tuneId: string, trial: number, rung: number): string => `${TRAINING_KEY_PREFIX}:tune:${tuneId}:result:${trial}:${rung}`,
} as const;
