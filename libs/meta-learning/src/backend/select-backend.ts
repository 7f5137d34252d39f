import { createRequire } from 'node:module';
import path from 'node:path';

import * as tf from '@tensorflow/tfjs';

import { registerMatMulGradient } from './mat-mul-gradient.js';
import { BackendError } from './backend-error.js';
import { registerSegmentSumKernel } from './segment-sum-kernel.js';
import { registerTensorflowKernels } from './tensorflow-kernels.js';
import { applyTensorflowThreadDefaults, type TensorflowThreads } from './tensorflow-threads.js';
import { registerWasmMatMulKernel } from './wasm-mat-mul-kernel.js';

/** The backends metarec runs on, fastest first. */
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

/** Fallback order when nothing is preferred. */
export const BACKEND_ORDER: readonly BackendName[] = ['tensorflow', 'wasm', 'cpu'];

/** The narrow logger `selectBackend` reports to (adapt pino with `(msg, f) => log.info(f, msg)`). */
export interface BackendLogger {
  info(message: string, fields?: Readonly<Record<string, unknown>>): void;
  warn(message: string, fields?: Readonly<Record<string, unknown>>): void;
}

/** How one backend candidate fared. */
export type BackendAttempt =
  | { readonly name: BackendName; readonly outcome: 'selected' }
  | { readonly name: BackendName; readonly outcome: 'not-installed' | 'failed'; readonly detail: string };

/** The backend now active in `tf`, and why. */
export interface BackendSelection {
  readonly name: BackendName;
  /** One sentence for logs: `wasm (SIMD) after tensorflow: not installed`. */
  readonly reason: string;
  /** wasm only: whether the SIMD binary runs (without it matMul is several times slower). */
  readonly simd?: boolean;
  /** tensorflow only: TensorFlow's thread pool sizes (see tensorflow-threads.ts). */
  readonly threads?: TensorflowThreads;
  readonly attempts: readonly BackendAttempt[];
}

/** Options of {@link selectBackend}. */
export interface SelectBackendOptions {
  /**
   * Use this backend or fail (no fallback): apps pass the `METAREC_BACKEND` env var here
   * (`tensorflow` | `wasm` | `cpu`; unset = try {@link BACKEND_ORDER}).
   * @defaultValue undefined
   */
  readonly preferred?: BackendName;
  /** Receives the choice (info) and every failed candidate (info when merely not installed, warn otherwise). */
  readonly logger?: BackendLogger;
  /**
   * Dynamic import used for optional packages; replaceable so tests can simulate
   * tfjs-node being present or broken. @defaultValue `(s) => import(s)`
   */
  readonly importModule?: (specifier: string) => Promise<unknown>;
}

/** Native TensorFlow packages, GPU first; importing one registers the `tensorflow` backend. */
const TFJS_NODE_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;
const WASM_PACKAGE = '@tensorflow/tfjs-backend-wasm';

const SILENT: BackendLogger = { info: () => undefined, warn: () => undefined };

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** A missing package is the normal case for tfjs-node; a package that fails to load is not. */
function isMissing(e: unknown, specifier: string): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && messageOf(e).includes(`'${specifier}'`);
}

/**
 * tfjs-node is installed (it is an optional dependency, so `npm ci` brings its JS part) but its
 * native addon was never built: its install script is denied in `allowScripts`, and
 * `npm run setup:tensorflow` builds it. That is "not installed" yet, not a broken install.
 */
function isAddonMissing(e: unknown): boolean {
  return messageOf(e).includes('tfjs_binding.node) can not be found');
}

type Attempt = { ok: true; simd?: boolean; threads?: TensorflowThreads } | { ok: false; outcome: 'not-installed' | 'failed'; detail: string };

async function activate(name: string): Promise<Attempt> {
  try {
    if (await tf.setBackend(name)) {
      await tf.ready();
      return { ok: true };
    }
    return { ok: false, outcome: 'failed', detail: `tf.setBackend('${name}') returned false` };
  } catch (e) {
    return { ok: false, outcome: 'failed', detail: messageOf(e) };
  }
}

async function tryTensorflow(importModule: (s: string) => Promise<unknown>): Promise<Attempt> {
  const notes: string[] = [];
  let threads: TensorflowThreads;
  try {
    // TensorFlow reads its pool sizes from the process environment, nowhere else: the one place a lib writes it.
    // eslint-disable-next-line no-process-env
    threads = applyTensorflowThreadDefaults(process.env);
  } catch (e) {
    return { ok: false, outcome: 'failed', detail: messageOf(e) };
  }
  for (const specifier of TFJS_NODE_PACKAGES) {
    try {
      await importModule(specifier);
    } catch (e) {
      if (isAddonMissing(e)) {
        notes.push(`${specifier} native addon not built (npm run setup:tensorflow)`);
        continue;
      }
      if (!isMissing(e, specifier)) {
        return { ok: false, outcome: 'failed', detail: `import ${specifier}: ${messageOf(e)}` };
      }
      notes.push(`${specifier} not installed`);
      continue;
    }
    if (tf.findBackendFactory('tensorflow') === null) {
      // tfjs-node registered into another copy of tfjs-core (version skew): unusable here.
      return { ok: false, outcome: 'failed', detail: `${specifier} loaded but registered no 'tensorflow' backend in this @tensorflow/tfjs` };
    }
    registerTensorflowKernels();
    const done = await activate('tensorflow');
    return done.ok ? { ok: true, threads } : done;
  }
  return { ok: false, outcome: 'not-installed', detail: notes.join(', ') };
}

async function tryWasm(importModule: (s: string) => Promise<unknown>): Promise<Attempt> {
  try {
    const wasm = (await importModule(WASM_PACKAGE)) as { setWasmPaths(prefix: string): void };
    if (typeof process !== 'undefined' && process.versions.node !== undefined) {
      // In Node the .wasm binaries are read from the package's dist folder, not fetched.
      const main = createRequire(import.meta.url).resolve(WASM_PACKAGE);
      wasm.setWasmPaths(path.dirname(main) + path.sep);
    }
  } catch (e) {
    return { ok: false, outcome: isMissing(e, WASM_PACKAGE) ? 'not-installed' : 'failed', detail: messageOf(e) };
  }
  // After the import (which registers wasm's kernels), before activation (which runs their setup).
  registerWasmMatMulKernel();
  const done = await activate('wasm');
  if (!done.ok) {
    return done;
  }
  return { ok: true, simd: (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true };
}

function tryBackend(name: BackendName, importModule: (s: string) => Promise<unknown>): Promise<Attempt> {
  switch (name) {
    case 'tensorflow':
      return tryTensorflow(importModule);
    case 'wasm':
      return tryWasm(importModule);
    case 'cpu':
      return activate('cpu');
  }
}

/** Throws `ML_BACKEND_UNKNOWN` unless `value` names a backend (for the app's env parsing). */
export function parseBackendName(value: string, field = 'METAREC_BACKEND'): BackendName {
  if ((BACKEND_ORDER as readonly string[]).includes(value)) {
    return value as BackendName;
  }
  throw new BackendError('ML_BACKEND_UNKNOWN', `${field} must be one of ${BACKEND_ORDER.join(', ')}, got "${value}"`, { field, value });
}

/**
 * Chooses and activates the tfjs backend: `tensorflow` (tfjs-node-gpu, then tfjs-node, when
 * importable) → `wasm` (SIMD) → `cpu`, or only `preferred` when given. Also registers the
 * loop `UnsortedSegmentSum` kernel on wasm and cpu (the gradient of every embedding lookup) and
 * the transpose-explicit, broadcast-safe matMul gradient (`registerMatMulGradient`), and on wasm
 * the BatchMatMul dispatcher to XNNPACK's 2-D path (`registerWasmMatMulKernel`).
 * Call once at start-up; importing this lib selects nothing. Logs the choice at info.
 * @throws BackendError `ML_BACKEND_UNAVAILABLE` when `preferred` (or, without it, every
 * backend) cannot be activated; `ML_BACKEND_UNKNOWN` for a `preferred` outside {@link BACKEND_ORDER}.
 */
export async function selectBackend(options: SelectBackendOptions = {}): Promise<BackendSelection> {
  const logger = options.logger ?? SILENT;
  const importModule = options.importModule ?? ((s: string): Promise<unknown> => import(s));
  const candidates = options.preferred === undefined ? BACKEND_ORDER : [parseBackendName(options.preferred, 'preferred')];
  registerSegmentSumKernel('wasm');
  registerSegmentSumKernel('cpu');
  registerMatMulGradient();
  const attempts: BackendAttempt[] = [];
  for (const name of candidates) {
    const result = await tryBackend(name, importModule);
    if (!result.ok) {
      attempts.push({ name, outcome: result.outcome, detail: result.detail });
      const log = result.outcome === 'not-installed' ? logger.info : logger.warn;
      log.call(logger, `tfjs backend ${name} unavailable: ${result.detail}`, { backend: name, outcome: result.outcome });
      continue;
    }
    attempts.push({ name, outcome: 'selected' });
    const skipped = attempts.filter((a) => a.outcome !== 'selected').map((a) => `${a.name}: ${a.outcome}`);
    const label =
      result.simd !== undefined
        ? `${name} (${result.simd ? 'SIMD' : 'no SIMD'})`
        : result.threads !== undefined
          ? `${name} (${result.threads.intraOp} intra-op / ${result.threads.interOp} inter-op threads, oneDNN ${result.threads.oneDnn ? 'on' : 'off'})`
          : name;
    const reason = options.preferred !== undefined ? `${label}, as preferred` : skipped.length > 0 ? `${label} after ${skipped.join('; ')}` : label;
    if (result.simd === false) {
      logger.warn('wasm backend runs without SIMD: expect several times slower matMul', { backend: name });
    }
    logger.info(`tfjs backend: ${reason}`, { backend: name, simd: result.simd, threads: result.threads });
    return { name, reason, ...(result.simd === undefined ? {} : { simd: result.simd }), ...(result.threads === undefined ? {} : { threads: result.threads }), attempts };
  }
  throw new BackendError('ML_BACKEND_UNAVAILABLE', `no tfjs backend could be activated (${attempts.map((a) => `${a.name}: ${a.outcome}`).join('; ')})`, {
    attempts,
  });
}
