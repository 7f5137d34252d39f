import { SHARE_ENV, Worker, type WorkerOptions } from 'node:worker_threads';

import type { BackendName } from '@metarec/meta-learning';

import { TrainingError } from '../errors.js';
import type { ComputeReady, ComputeRequest, ComputeResponse, ComputeThreadData } from './compute-messages.js';

/** Options of {@link ComputePool}. */
export interface ComputePoolOptions {
  /** Threads (= meta-steps computed at once). @defaultValue 1 */
  readonly threads?: number;
  /** Backend each thread selects. @defaultValue undefined (meta-learning's fallback order) */
  readonly backend?: BackendName;
  /** Receives each thread's backend choice. */
  readonly onReady?: (info: { readonly backend: string; readonly reason: string }) => void;
}

/** Defaults of {@link ComputePoolOptions}. */
export const DEFAULT_COMPUTE_POOL_OPTIONS = { threads: 1 } as const;

/** A request minus its id (the pool assigns ids). */
export type ComputeInput = Omit<ComputeRequest, 'id'>;
/** A successful meta-step. */
export type ComputeOutput = Extract<ComputeResponse, { ok: true }>;

interface Slot {
  worker: Worker;
  busy: { id: number; resolve: (r: ComputeOutput) => void; reject: (e: Error) => void } | null;
}

/**
 * When this module runs from TypeScript sources (tests, `tsx`), the thread entry is the `.ts`
 * sibling and the thread needs tsx and the source export condition. Node 20 does not pass a
 * worker's entry file through loader hooks, so the thread starts from a one-line eval that
 * imports the entry once tsx is registered. From `dist` the entry is plain JS.
 */
function threadEntry(): { entry: URL | string; eval: boolean; execArgv: string[] | undefined } {
  if (!import.meta.url.endsWith('.ts')) {
    return { entry: new URL('./compute-thread.js', import.meta.url), eval: false, execArgv: undefined };
  }
  const url = new URL('./compute-thread.ts', import.meta.url);
  const code = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); });`;
  return { entry: code, eval: true, execArgv: ['--conditions=@metarec/source'] };
}

/**
 * Worker options of a compute thread. `env: SHARE_ENV`: the thread's selectBackend writes
 * TensorFlow's settings (TF_NUM_*_THREADS, TF_ENABLE_ONEDNN_OPTS) into the environment TensorFlow
 * reads; a thread's own env copy never reaches it (checked: with a private copy TensorFlow started
 * with oneDNN on regardless, and trainer workers ran its default pools).
 */
export function computeThreadOptions(entry: { eval: boolean; execArgv: string[] | undefined }, data: ComputeThreadData): WorkerOptions {
  return { eval: entry.eval, workerData: data, env: SHARE_ENV, ...(entry.execArgv === undefined ? {} : { execArgv: entry.execArgv }) };
}

/**
 * A fixed pool of worker threads running `metaStep`: keeps CPU-bound work off the main event
 * loop (where BullMQ renews job locks) and runs `threads` steps in parallel. A thread that dies
 * fails its request with `TRAIN_COMPUTE_FAILED` and is replaced.
 */
export class ComputePool {
  private readonly slots: Slot[] = [];
  private readonly waiting: Array<{ input: ComputeInput; resolve: (r: ComputeOutput) => void; reject: (e: Error) => void }> = [];
  private readonly options: ComputePoolOptions & { readonly threads: number };
  private nextId = 1;
  private closing: Promise<void> | null = null;

  /** @throws TrainingError `TRAIN_OPTIONS_INVALID`. */
  constructor(options: ComputePoolOptions = {}) {
    this.options = { ...DEFAULT_COMPUTE_POOL_OPTIONS, ...options };
    if (!Number.isInteger(this.options.threads) || this.options.threads < 1 || this.options.threads > 64) {
      throw new TrainingError('TRAIN_OPTIONS_INVALID', 'ComputePoolOptions.threads must be an integer in 1..64', { field: 'threads' });
    }
  }

  /** Computes one meta-step in a thread. @throws TrainingError `TRAIN_COMPUTE_FAILED`, `TRAIN_CLOSED`; the step's own error (with its code). */
  run(input: ComputeInput): Promise<ComputeOutput> {
    if (this.closing !== null) {
      return Promise.reject(new TrainingError('TRAIN_CLOSED', 'compute pool is closed'));
    }
    // Threads start on first use: a coordinator that never validates never pays their start-up (~1-3 s: tfjs + wasm).
    while (this.slots.length < this.options.threads) {
      this.slots.push(this.spawn());
    }
    return new Promise((resolve, reject) => {
      this.waiting.push({ input, resolve, reject });
      this.dispatch();
    });
  }

  /** Terminates the threads; queued and running requests fail with `TRAIN_CLOSED`. Safe to call twice. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      for (const w of this.waiting.splice(0)) {
        w.reject(new TrainingError('TRAIN_CLOSED', 'compute pool closed before the request ran'));
      }
      await Promise.all(
        this.slots.map(async (slot) => {
          slot.busy?.reject(new TrainingError('TRAIN_CLOSED', 'compute pool closed during the request'));
          slot.busy = null;
          await slot.worker.terminate();
        }),
      );
    })();
    return this.closing;
  }

  private spawn(): Slot {
    const entry = threadEntry();
    const data: ComputeThreadData = this.options.backend === undefined ? {} : { backend: this.options.backend };
    const worker = new Worker(entry.entry, computeThreadOptions(entry, data));
    const slot: Slot = { worker, busy: null };
    worker.on('message', (message: ComputeResponse | ComputeReady) => this.onMessage(slot, message));
    worker.on('error', (error) => this.onDeath(slot, error));
    worker.on('exit', (code) => this.onDeath(slot, new Error(`compute thread exited with code ${code}`)));
    return slot;
  }

  private onMessage(slot: Slot, message: ComputeResponse | ComputeReady): void {
    if ('ready' in message) {
      this.options.onReady?.({ backend: message.backend, reason: message.reason });
      return;
    }
    const busy = slot.busy;
    if (busy === null || busy.id !== message.id) {
      return;
    }
    slot.busy = null;
    if (message.ok) {
      busy.resolve(message);
    } else {
      const error = new Error(message.message) as Error & { code?: string };
      error.name = message.name;
      if (message.code !== undefined) {
        error.code = message.code;
      }
      busy.reject(error);
    }
    this.dispatch();
  }

  private onDeath(slot: Slot, cause: Error): void {
    if (this.closing !== null) {
      return;
    }
    const index = this.slots.indexOf(slot);
    if (index < 0) {
      return;
    }
    slot.busy?.reject(new TrainingError('TRAIN_COMPUTE_FAILED', `compute thread died: ${cause.message}`, {}, cause));
    slot.busy = null;
    slot.worker.removeAllListeners();
    void slot.worker.terminate();
    this.slots[index] = this.spawn();
    this.dispatch();
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.busy !== null || this.waiting.length === 0) {
        continue;
      }
      const next = this.waiting.shift();
      if (next === undefined) {
        return;
      }
      const id = this.nextId++;
      slot.busy = { id, resolve: next.resolve, reject: next.reject };
      slot.worker.postMessage({ ...next.input, id } satisfies ComputeRequest);
    }
  }
}
