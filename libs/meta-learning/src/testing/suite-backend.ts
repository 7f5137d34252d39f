// The tfjs backend one unit-test run uses, so that a whole suite runs once per backend: the Nx
// targets `test-wasm` and `test-tensorflow` set METAREC_TEST_BACKEND (`test` leaves it unset: cpu),
// and the vitest setup file of every backend-aware project (`suite-backend.setup.ts`, wired by the
// root vitest.shared.ts) selects it before each test file. Tests that compare backends or guard one
// backend's kernels still pin theirs; everything else runs on what this selected.
import * as tf from '@tensorflow/tfjs';

import { parseBackendName, selectBackend, type BackendName, type BackendSelection } from '../backend/select-backend.js';
import { probeTensorflowBackend } from './tensorflow-backend-gate.js';

/** Env var naming the run's backend: `tensorflow` | `wasm` | `cpu`; unset or empty = `cpu` (tfjs's own default in Node). */
export const TEST_BACKEND_ENV = 'METAREC_TEST_BACKEND';

/** What {@link selectSuiteBackend} did: the backend is active, or (tensorflow only) the run must skip. */
export type SuiteBackend =
  | { readonly name: BackendName; readonly selection: BackendSelection; readonly skipReason?: undefined }
  | { readonly name: 'tensorflow'; readonly selection?: undefined; readonly skipReason: string };

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The backend named by `METAREC_TEST_BACKEND` (default `cpu`).
 * @throws BackendError `ML_BACKEND_UNKNOWN` for any other value: a typo must not silently test cpu.
 */
export function suiteBackendName(env: Env = process.env): BackendName {
  const value = env[TEST_BACKEND_ENV];
  return value === undefined || value === '' ? 'cpu' : parseBackendName(value, TEST_BACKEND_ENV);
}

/**
 * Activates the run's backend with `selectBackend({ preferred })`, so its kernels and gradient fixes
 * are installed as in production. When that is `tensorflow` and its addon is not built, returns a
 * skip reason instead, unless `METAREC_REQUIRE_TENSORFLOW=1` (CI), which throws.
 * @throws Error when tensorflow is required but absent, or installed but broken; BackendError when the
 * named backend cannot be activated.
 */
export async function selectSuiteBackend(env: Env = process.env, importModule?: (specifier: string) => Promise<unknown>): Promise<SuiteBackend> {
  const name = suiteBackendName(env);
  if (name === 'tensorflow') {
    const probe = await probeTensorflowBackend(env, importModule);
    if (!probe.available) {
      return { name, skipReason: `${TEST_BACKEND_ENV}=tensorflow, but ${probe.detail}` };
    }
  }
  return { name, selection: await selectBackend({ preferred: name, ...(importModule === undefined ? {} : { importModule }) }) };
}

/** A point in tfjs's tensor numbering (tensors get ids in creation order) for {@link tensorsCreatedSince}. */
export function tensorCreationMark(): number {
  const probe = tf.scalar(0);
  probe.dispose();
  return probe.id;
}

/** Tensors created since `mark` (on any backend, disposed or not), not counting the probes. */
export function tensorsCreatedSince(mark: number): number {
  return tensorCreationMark() - mark - 1;
}
