/** A run's progress as stored in Redis and shown by `trainer status` (small JSON). */
export type RunStatus =
  | {
      readonly status: 'running';
      readonly runId: string;
      readonly step: number;
      readonly totalSteps: number;
      readonly epoch: number;
      readonly loss: number | null;
      readonly validationLoss: number | null;
      /** Estimated seconds to the last step at the mean step time so far. */
      readonly etaSec: number | null;
      /**
       * Mean steps per second of this coordinator session (steps since it started or resumed over
       * its wall time); null before its first step. Absent in statuses written before it existed.
       */
      readonly stepsPerSec?: number | null;
      readonly startedAtMs: number;
      readonly updatedAtMs: number;
    }
  | {
      readonly status: 'completed';
      readonly runId: string;
      readonly steps: number;
      readonly modelDir: string;
      readonly lineagePath: string;
      readonly finishedAtMs: number;
    }
  | { readonly status: 'failed'; readonly runId: string; readonly step: number; readonly code: string; readonly reason: string; readonly finishedAtMs: number };
