import { z } from 'zod';

import type { RunStore } from '../blobs/run-store.js';
import { TrainingError } from '../errors.js';
import type { RunStatus } from './run-status.js';

const statusSchema = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('running'),
    runId: z.string(),
    step: z.number(),
    totalSteps: z.number(),
    epoch: z.number(),
    loss: z.number().nullable(),
    validationLoss: z.number().nullable(),
    etaSec: z.number().nullable(),
    stepsPerSec: z.number().nullable().optional(),
    startedAtMs: z.number(),
    updatedAtMs: z.number(),
  }),
  z.object({ status: z.literal('completed'), runId: z.string(), steps: z.number(), modelDir: z.string(), lineagePath: z.string(), finishedAtMs: z.number() }),
  z.object({ status: z.literal('failed'), runId: z.string(), step: z.number(), code: z.string(), reason: z.string(), finishedAtMs: z.number() }),
]);

/** A run's status. @throws TrainingError `TRAIN_RUN_NOT_FOUND`, `TRAIN_PAYLOAD_INVALID`. */
export async function readRunStatus(store: RunStore, runId: string): Promise<RunStatus> {
  const raw = await store.getStatus(runId);
  if (raw === null) {
    throw new TrainingError('TRAIN_RUN_NOT_FOUND', `no status for run ${runId} (unknown id, or older than the status TTL)`, { runId });
  }
  const parsed = statusSchema.safeParse(raw);
  if (!parsed.success) {
    throw new TrainingError('TRAIN_PAYLOAD_INVALID', `status of run ${runId}: ${parsed.error.issues[0].message}`, { runId });
  }
  return parsed.data;
}
