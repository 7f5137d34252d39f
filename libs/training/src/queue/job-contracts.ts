import { z } from 'zod';

import { TrainingError } from '../errors.js';

/** Queue of shard jobs (one meta-gradient over a few tasks each). */
export const SHARD_QUEUE = 'metarec-train-shards';
/** Queue of whole runs (scheduled or submitted); processed by workers that take the coordinator role. */
export const RUN_QUEUE = 'metarec-train-runs';
/** Queue of tuning trials (`trainer tune`): one trial trained and scored at one rung's budget per job. */
export const TUNE_QUEUE = 'metarec-train-trials';
/** Version of the payloads below; a worker rejects another version as unrecoverable. */
export const JOB_SCHEMA_VERSION = 1;
/**
 * Cap of a job's data or return value as JSON, bytes. BullMQ stores both in the job hash and
 * copies them through every event; keys and counts fit in a few hundred bytes, a tensor never does.
 */
export const MAX_JOB_JSON_BYTES = 64 * 1024;

/** A shard job: which tasks of which step, and where the parameters are (never the parameters). */
export const shardJobSchema = z.object({
  v: z.literal(JOB_SCHEMA_VERSION),
  runId: z.string().min(1),
  step: z.number().int().nonnegative(),
  shard: z.number().int().nonnegative(),
  /** Indices into the run's training tasks. */
  taskIndices: z.array(z.number().int().nonnegative()).min(1),
  /** Redis key of the parameter blob, and its version (= step). */
  paramsKey: z.string().min(1),
  paramsVersion: z.number().int().nonnegative(),
  /** The data version the coordinator built; a worker that builds another one refuses. */
  dataVersion: z.string().min(1),
});
/** Payload of a shard job. */
export type ShardJobData = z.output<typeof shardJobSchema>;

/** What a shard job returns: counts and the blob key, nothing large. */
export const shardResultSchema = z.object({
  v: z.literal(JOB_SCHEMA_VERSION),
  gradientKey: z.string(),
  taskCount: z.number().int().positive(),
  loss: z.number(),
  /** False when another attempt's result had already been accepted (this one was ignored). */
  accepted: z.boolean(),
  /** Size of the stored gradient blob (zero blocks elided), bytes. */
  gradientBytes: z.number().int().nonnegative(),
  computeMs: z.number().nonnegative(),
});
/** Return value of a shard job. */
export type ShardJobResult = z.output<typeof shardResultSchema>;

/** A run job: a spec (small JSON) and, for scheduled runs, no run id (one is minted per firing). */
export const runJobSchema = z.object({
  v: z.literal(JOB_SCHEMA_VERSION),
  spec: z.unknown(),
  runId: z.string().min(1).optional(),
});
/** Payload of a run job. */
export type RunJobData = z.output<typeof runJobSchema>;

/** A trial job: where the trial's spec is (never the spec) and the rung's budget. */
export const trialJobSchema = z.object({
  v: z.literal(JOB_SCHEMA_VERSION),
  tuneId: z.string().min(1),
  trial: z.number().int().nonnegative(),
  rung: z.number().int().nonnegative(),
  /** Meta-steps of training per fold. */
  steps: z.number().int().positive(),
  /** Folds of the training users, and the seed that deals users to them. */
  folds: z.number().int().min(2),
  foldSeed: z.number().int(),
  /** `OBJECTIVE_GOAL`'s key: what the held-out fold is scored by. */
  objective: z.enum(['mae', 'ndcg10']),
});
/** Payload of a trial job. */
export type TrialJobData = z.output<typeof trialJobSchema>;

/** What a trial job returns (and stores under its result key). */
export const trialResultSchema = z.object({
  v: z.literal(JOB_SCHEMA_VERSION),
  /** Mean over folds of the held-out fold's objective (as reported: lower MAE, higher nDCG is better); null when training diverged. */
  metric: z.number().nullable(),
  foldMetrics: z.array(z.number().nullable()),
  /** The code that stopped training (`ML_NON_FINITE`, `ML_LOSS_CONSTANT`, ...), else null. */
  diverged: z.string().nullable(),
  computeMs: z.number().nonnegative(),
});
/** Result of a trial at a rung. */
export type TrialResult = z.output<typeof trialResultSchema>;

/**
 * Throws when `value` is larger than {@link MAX_JOB_JSON_BYTES} as JSON.
 * @throws TrainingError `TRAIN_PAYLOAD_TOO_LARGE` naming `what`.
 */
export function assertSmallJson(value: unknown, what: string, maxBytes: number = MAX_JOB_JSON_BYTES): void {
  const bytes = Buffer.byteLength(JSON.stringify(value) ?? '');
  if (bytes > maxBytes) {
    throw new TrainingError('TRAIN_PAYLOAD_TOO_LARGE', `${what} is ${bytes} bytes of JSON (cap ${maxBytes}): put large data under a key`, { field: what, bytes });
  }
}

/**
 * Parses `raw` with `schema`, after the size cap.
 * @throws TrainingError `TRAIN_PAYLOAD_TOO_LARGE`, `TRAIN_PAYLOAD_INVALID` naming the field.
 */
export function parsePayload<S extends z.ZodType>(schema: S, raw: unknown, what: string): z.output<S> {
  assertSmallJson(raw, what);
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new TrainingError('TRAIN_PAYLOAD_INVALID', `${what}.${issue.path.join('.')}: ${issue.message}`, { field: issue.path.join('.') });
  }
  return parsed.data;
}
