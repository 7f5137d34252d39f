import { RuntimeError, RuntimeOptionsError } from '../errors.js';
import type { Logger } from '../logging/create-logger.js';

/** Closes one resource. The signal aborts when the shutdown deadline passes. */
export type ShutdownStepFn = (signal: AbortSignal) => Promise<void> | void;

/** What happened to one step. */
export type ShutdownStepResult =
  | { readonly name: string; readonly status: 'closed'; readonly durationMs: number }
  | { readonly name: string; readonly status: 'failed'; readonly durationMs: number; readonly error: RuntimeError }
  | { readonly name: string; readonly status: 'timed-out'; readonly durationMs: number; readonly error: RuntimeError }
  | { readonly name: string; readonly status: 'skipped'; readonly reason: 'deadline' };

/** Outcome of `GracefulShutdown.run`. `ok` is true only when every step closed in time. */
export interface ShutdownReport {
  readonly reason: string;
  readonly ok: boolean;
  readonly durationMs: number;
  readonly steps: readonly ShutdownStepResult[];
}

/** Where a `GracefulShutdown` stands. */
export type ShutdownState =
  | { readonly status: 'idle' }
  | { readonly status: 'running'; readonly reason: string; readonly startedAt: number }
  | { readonly status: 'done'; readonly report: ShutdownReport };

/** Options of `GracefulShutdown`. */
export interface GracefulShutdownOptions {
  /**
   * Total time for all steps, in ms. Kubernetes sends SIGKILL 30 s after SIGTERM by default
   * (`terminationGracePeriodSeconds`); 10 s leaves room for the preStop hook and exit.
   * @defaultValue `10_000`
   */
  readonly deadlineMs?: number;
  /** Receives one line per step and each failure. @defaultValue none (failures are only in the report) */
  readonly logger?: Logger;
}

/** Defaults laid under `GracefulShutdownOptions`. */
export const DEFAULT_GRACEFUL_SHUTDOWN_OPTIONS = { deadlineMs: 10_000 } as const;

interface Step {
  readonly name: string;
  readonly close: ShutdownStepFn;
}

function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}

/**
 * Closes an app's resources in the order they were added, within one deadline.
 *
 * Add steps in closing order (readiness off, HTTP server, workers, Kafka consumer, then Redis and
 * pg). Every step runs even when an earlier one fails; a failure is logged and recorded, never
 * swallowed. When the deadline passes, the running step's signal aborts, it is recorded as
 * `timed-out`, and the steps not yet started are `skipped`: the process is about to be killed
 * anyway, and the report tells the app to exit non-zero. `run` is idempotent: a second call
 * (a second SIGTERM) returns the first call's promise.
 */
export class GracefulShutdown {
  private readonly deadlineMs: number;
  private readonly logger: Logger | undefined;
  private readonly steps: Step[] = [];
  private inFlight: Promise<ShutdownReport> | undefined;
  private currentState: ShutdownState = { status: 'idle' };

  /** @throws RuntimeOptionsError (`RT_OPTIONS_INVALID`) when `deadlineMs` is not a positive finite number. */
  constructor(options: GracefulShutdownOptions = {}) {
    const merged = { ...DEFAULT_GRACEFUL_SHUTDOWN_OPTIONS, ...options };
    if (!Number.isFinite(merged.deadlineMs) || merged.deadlineMs <= 0) {
      throw new RuntimeOptionsError('deadlineMs', `expected a positive number of ms, got ${merged.deadlineMs}`);
    }
    this.deadlineMs = merged.deadlineMs;
    this.logger = merged.logger;
  }

  /** Current state (idle, running, done with its report). */
  get state(): ShutdownState {
    return this.currentState;
  }

  /**
   * Appends a step. Names must be unique (they identify steps in the report).
   * @throws RuntimeOptionsError (`RT_OPTIONS_INVALID`) on a duplicate name or once `run` has started.
   */
  add(name: string, close: ShutdownStepFn): this {
    if (this.currentState.status !== 'idle') {
      throw new RuntimeOptionsError('steps', `cannot add "${name}" after shutdown started`);
    }
    if (this.steps.some((step) => step.name === name)) {
      throw new RuntimeOptionsError('steps', `duplicate step name "${name}"`);
    }
    this.steps.push({ name, close });
    return this;
  }

  /** Runs every step once and resolves with the report; never rejects. */
  run(reason = 'shutdown'): Promise<ShutdownReport> {
    this.inFlight ??= this.runSteps(reason);
    return this.inFlight;
  }

  /**
   * Runs the shutdown on the first of `signals` and hands the report to `onDone` (where `main.ts`
   * decides the exit code). Returns a function that removes the listeners.
   */
  onSignals(onDone: (report: ShutdownReport) => void, signals: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT']): () => void {
    const handler = (signal: NodeJS.Signals): void => {
      void this.run(signal).then(onDone);
    };
    for (const signal of signals) {
      process.on(signal, handler);
    }
    return () => {
      for (const signal of signals) {
        process.off(signal, handler);
      }
    };
  }

  private async runSteps(reason: string): Promise<ShutdownReport> {
    const startedAt = Date.now();
    const deadline = startedAt + this.deadlineMs;
    this.currentState = { status: 'running', reason, startedAt };
    this.logger?.info({ reason, steps: this.steps.map((step) => step.name), deadlineMs: this.deadlineMs }, 'shutdown started');
    const results: ShutdownStepResult[] = [];
    for (const step of this.steps) {
      const remainingMs = deadline - Date.now();
      if (remainingMs <= 0) {
        results.push({ name: step.name, status: 'skipped', reason: 'deadline' });
        this.logger?.error({ step: step.name }, 'shutdown step skipped: deadline passed');
        continue;
      }
      results.push(await this.runStep(step, remainingMs));
    }
    const report: ShutdownReport = {
      reason,
      ok: results.every((result) => result.status === 'closed'),
      durationMs: Date.now() - startedAt,
      steps: results,
    };
    this.currentState = { status: 'done', report };
    this.logger?.info({ reason, ok: report.ok, durationMs: report.durationMs }, 'shutdown finished');
    return report;
  }

  private async runStep(step: Step, remainingMs: number): Promise<ShutdownStepResult> {
    const controller = new AbortController();
    const started = Date.now();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), remainingMs);
    });
    try {
      const outcome = await Promise.race([Promise.resolve().then(() => step.close(controller.signal)), timeout]);
      const durationMs = Date.now() - started;
      if (outcome === 'timeout') {
        controller.abort();
        const error = new RuntimeError('RT_SHUTDOWN_STEP_FAILED', `shutdown step "${step.name}" did not finish before the deadline`);
        this.logger?.error({ step: step.name, durationMs }, error.message);
        return { name: step.name, status: 'timed-out', durationMs, error };
      }
      this.logger?.info({ step: step.name, durationMs }, 'shutdown step closed');
      return { name: step.name, status: 'closed', durationMs };
    } catch (thrown) {
      const durationMs = Date.now() - started;
      const cause = asError(thrown);
      const error = new RuntimeError('RT_SHUTDOWN_STEP_FAILED', `shutdown step "${step.name}" failed: ${cause.message}`, { cause });
      this.logger?.error({ step: step.name, durationMs, err: cause }, error.message);
      return { name: step.name, status: 'failed', durationMs, error };
    } finally {
      clearTimeout(timer);
    }
  }
}
