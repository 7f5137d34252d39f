// One place for the vitest settings every project shares. Project configs call these
// so that unit and integration runs resolve workspace packages to their TypeScript
// sources (the "@metarec/source" export condition) instead of needing a build first.
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

import { defaultServerConditions, type UserConfig } from 'vite';

const SOURCE_CONDITION = '@metarec/source';

/** Env var of a per-backend unit-test run (`test-wasm`, `test-tensorflow`); libs/meta-learning's `suite-backend.ts` reads it. */
const TEST_BACKEND_ENV = 'METAREC_TEST_BACKEND';

function resolveSources(): Pick<UserConfig, 'resolve' | 'ssr'> {
  return {
    resolve: { conditions: [SOURCE_CONDITION, ...defaultServerConditions] },
    ssr: { resolve: { conditions: [SOURCE_CONDITION, ...defaultServerConditions] } },
  };
}

const REPO_ROOT = fileURLToPath(new URL('.', import.meta.url));

/** Where each run's vitest JSON report goes; `npm test` sums them (tools/scripts/sum-test-reports.mjs). */
const TEST_REPORTS_DIR = join(REPO_ROOT, '.data', 'test-reports');

/**
 * The console reporter plus vitest's JSON reporter, writing `.data/test-reports/<project root>/<run>.json`
 * (`run` = `unit-<backend>` or `int`). The path is fixed per project and target so Nx can restore it
 * with a cached result (nx.json declares it as the target's output).
 */
function reporters(run: string): { reporters: unknown[]; outputFile: { json: string } } {
  return { reporters: ['default', 'json'], outputFile: { json: join(TEST_REPORTS_DIR, relative(REPO_ROOT, process.cwd()), `${run}.json`) } };
}

/** Unit tests: `*.test.ts` beside the code, no network. */
export function unitTestConfig(): UserConfig {
  return {
    ...resolveSources(),
    test: {
      ...reporters(`unit-${process.env[TEST_BACKEND_ENV] || 'cpu'}`),
      include: ['src/**/*.test.ts'],
      exclude: ['src/**/*.int.test.ts', 'node_modules/**', 'dist/**'],
      environment: 'node',
      passWithNoTests: true,
      testTimeout: 60_000,
      hookTimeout: 60_000,
    },
  } as UserConfig;
}

/** The one setup file of backend-aware suites: the backend is libs/meta-learning's concept. */
const SUITE_BACKEND_SETUP = fileURLToPath(new URL('libs/meta-learning/src/testing/suite-backend.setup.ts', import.meta.url));

/** Options of {@link backendUnitTestConfig}; paths from the project root, run only in the plain `test` run (cpu). */
export interface BackendUnitTestOptions {
  /** Files that select their backends themselves: cross-backend parity, one backend's kernels or defects. */
  readonly ownBackendFiles?: readonly string[];
  /** Files that create no tensor, so a backend cannot change them; the setup file fails one that does. */
  readonly tensorFreeFiles?: readonly string[];
}

/**
 * Unit tests of a project whose suite runs once per tfjs backend: the setup file selects the backend
 * named by METAREC_TEST_BACKEND (unset = cpu) before each file. With the variable set (the Nx
 * targets `test-wasm` and `test-tensorflow`), `ownBackendFiles` and `tensorFreeFiles` are left out.
 */
export function backendUnitTestConfig(options: BackendUnitTestOptions = {}): UserConfig {
  const config = unitTestConfig() as UserConfig & { test: { exclude: string[] } };
  const perBackendRun = (process.env[TEST_BACKEND_ENV] ?? '') !== '';
  const tensorFreeFiles = options.tensorFreeFiles ?? [];
  return {
    ...config,
    test: {
      ...config.test,
      setupFiles: [SUITE_BACKEND_SETUP],
      provide: { tensorFreeFiles },
      exclude: [...config.test.exclude, ...(perBackendRun ? [...(options.ownBackendFiles ?? []), ...tensorFreeFiles] : [])],
    },
  } as UserConfig;
}

/** Integration tests: `*.int.test.ts`, against real Redis/Kafka/PostgreSQL. Run one file at a time. */
export function integrationTestConfig(): UserConfig {
  return {
    ...resolveSources(),
    test: {
      ...reporters('int'),
      include: ['src/**/*.int.test.ts'],
      environment: 'node',
      passWithNoTests: true,
      testTimeout: 180_000,
      hookTimeout: 180_000,
      fileParallelism: false,
    },
  } as UserConfig;
}
