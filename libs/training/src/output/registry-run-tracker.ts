import { readFile } from 'node:fs/promises';

import { evalMetricKey, type RegistryClient, RUN_METRIC_KEYS } from '@metarec/registry';

import { TrainingError } from '../errors.js';
import type { RunSpec } from '../spec/run-spec.js';
import type { RunStatus } from '../status/run-status.js';
import type { TrainingLogger } from '../worker/training-worker.js';
import { bundleMetricsOf } from './register-run.js';
import type { RunLineage } from './run-output.js';

/** The registry calls the tracker makes (`RegistryClient` has them; tests pass their own). */
export type RunTrackingClient = Pick<RegistryClient, 'createRun' | 'logMetrics' | 'updateRun' | 'logRunArtifact'>;

/** Options of {@link RegistryRunTracker}. */
export interface RegistryRunTrackerOptions {
  readonly client: RunTrackingClient;
  /** Run group in the registry; the trainer uses the registry model's name. */
  readonly experiment: string;
  /** The run spec: the run record's parameters. */
  readonly spec: RunSpec;
  readonly logger: TrainingLogger;
  /**
   * Metric values buffered before a flush (one POST). A step produces one or two values, so the
   * default sends about every 100 steps, plus once at the end.
   * @defaultValue `200`
   */
  readonly flushEveryPoints?: number;
}

/** Defaults laid under `RegistryRunTrackerOptions`. */
export const DEFAULT_REGISTRY_RUN_TRACKER_OPTIONS = { flushEveryPoints: 200 } as const;

type Point = { key: string; step: number; value: number };

/**
 * Records a training run in the registry as it goes (MLflow-style tracking): the run with its
 * spec at the first status, training and validation loss per step, then at the end the held-out
 * evaluation table, `lineage.json` as an artifact and the final status. Versions registered from
 * the run link to it through their lineage's run id.
 *
 * Tracking never fails the training: each registry error is logged and the run goes on (the
 * version registration that follows reports an unreachable registry on its own). Calls run one
 * after another, in status order.
 */
export class RegistryRunTracker {
  private readonly o: RegistryRunTrackerOptions & { readonly flushEveryPoints: number };
  private chain: Promise<void> = Promise.resolve();
  private runId: string | null = null;
  private buffer: Point[] = [];

  /** @throws TrainingError `TRAIN_OPTIONS_INVALID` (field `flushEveryPoints`) before any call. */
  constructor(options: RegistryRunTrackerOptions) {
    this.o = { ...DEFAULT_REGISTRY_RUN_TRACKER_OPTIONS, ...options };
    if (!Number.isInteger(this.o.flushEveryPoints) || this.o.flushEveryPoints < 1) {
      throw new TrainingError('TRAIN_OPTIONS_INVALID', `flushEveryPoints must be a positive integer, got ${this.o.flushEveryPoints}`, { field: 'flushEveryPoints' });
    }
  }

  /** Feed it every status of the run (the coordinator's `onStatus`). Returns at once. */
  onStatus(status: RunStatus): void {
    if (this.runId === null) {
      this.runId = status.runId;
      const runId = status.runId;
      this.enqueue('create run', () => this.o.client.createRun({ runId, experiment: this.o.experiment, params: this.o.spec as unknown as Record<string, unknown> }));
    }
    if (status.status === 'running') {
      if (status.loss !== null && Number.isFinite(status.loss)) {
        this.buffer.push({ key: RUN_METRIC_KEYS.trainLoss, step: status.step, value: status.loss });
      }
      if (status.validationLoss !== null && Number.isFinite(status.validationLoss)) {
        this.buffer.push({ key: RUN_METRIC_KEYS.validationLoss, step: status.step, value: status.validationLoss });
      }
      if (this.buffer.length >= this.o.flushEveryPoints) {
        this.flush();
      }
    } else if (status.status === 'failed') {
      this.flush();
      this.enqueue('mark run failed', (runId) => this.o.client.updateRun(runId, { status: 'failed', setTags: { failure: status.code } }));
    }
  }

  /**
   * Ends a completed run: the remaining loss values, the evaluation table (`eval/<scenario>/<method>/<metric>`
   * at the last step), `lineage.json`, status `finished`. Resolves when every call has been made.
   */
  async finish(result: { readonly lineage: RunLineage; readonly lineagePath: string }): Promise<void> {
    this.flush();
    const block = bundleMetricsOf(result.lineage);
    const evaluation: Point[] = [];
    for (const [scenario, methods] of Object.entries(block?.scenarios ?? {})) {
      for (const [method, metrics] of Object.entries(methods)) {
        for (const [metric, value] of Object.entries(metrics)) {
          if (value !== null) {
            evaluation.push({ key: evalMetricKey(scenario, method, metric), step: result.lineage.steps, value });
          }
        }
      }
    }
    if (evaluation.length > 0) {
      this.enqueue('log evaluation', (runId) => this.o.client.logMetrics(runId, evaluation));
    }
    this.enqueue('log lineage', async (runId) => this.o.client.logRunArtifact(runId, 'lineage.json', await readFile(result.lineagePath), 'application/json'));
    this.enqueue('mark run finished', (runId) => this.o.client.updateRun(runId, { status: 'finished' }));
    await this.chain;
  }

  /** Waits for the calls made so far (e.g. after a failure status). */
  async settle(): Promise<void> {
    await this.chain;
  }

  private flush(): void {
    if (this.buffer.length === 0) {
      return;
    }
    const points = this.buffer;
    this.buffer = [];
    this.enqueue('log loss', (runId) => this.o.client.logMetrics(runId, points));
  }

  private enqueue(what: string, call: (runId: string) => Promise<unknown>): void {
    const runId = this.runId;
    if (runId === null) {
      return;
    }
    this.chain = this.chain
      .then(() => call(runId))
      .then(
        () => undefined,
        (error: unknown) => {
          this.o.logger.warn({ runId, err: error instanceof Error ? error.message : String(error) }, `run tracking: ${what} failed; training goes on`);
        },
      );
  }
}
