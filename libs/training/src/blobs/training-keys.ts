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
  /** The run's spec JSON, read by workers. */
  spec: (runId: string): string => `${TRAINING_KEY_PREFIX}:${runId}:spec`,
  /** The run's status JSON (progress), read by `trainer status`. */
  status: (runId: string): string => `${TRAINING_KEY_PREFIX}:${runId}:status`,
} as const;
