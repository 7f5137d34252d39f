import { parseRunSpec } from '../spec/run-spec.js';
import { runIdForJob } from '../schedule/run-scheduler.js';
import type { RunJobHandler } from '../worker/training-worker.js';
import type { Coordinator } from './coordinator.js';

/** The coordinator role of a worker: runs a run job (scheduled or submitted) to its end. */
export function createRunJobHandler(coordinator: Coordinator): RunJobHandler {
  return async (data, job) => {
    const spec = parseRunSpec(data.spec);
    const result = await coordinator.run(spec, { runId: data.runId ?? runIdForJob(job.id), jobProgress: (p) => job.updateProgress(p) });
    return { runId: result.runId, steps: result.steps, modelDir: result.modelDir, lineagePath: result.lineagePath };
  };
}
