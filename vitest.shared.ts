// One place for the vitest settings every project shares. Project configs call these
// so that unit and integration runs resolve workspace packages to their TypeScript
// sources (the "@metarec/source" export condition) instead of needing a build first.
import { defaultServerConditions, type UserConfig } from 'vite';

const SOURCE_CONDITION = '@metarec/source';

function resolveSources(): Pick<UserConfig, 'resolve' | 'ssr'> {
  return {
    resolve: { conditions: [SOURCE_CONDITION, ...defaultServerConditions] },
    ssr: { resolve: { conditions: [SOURCE_CONDITION, ...defaultServerConditions] } },
  };
}

/** Unit tests: `*.test.ts` beside the code, no network. */
export function unitTestConfig(): UserConfig {
  return {
    ...resolveSources(),
    test: {
      include: ['src/**/*.test.ts'],
      exclude: ['src/**/*.int.test.ts', 'node_modules/**', 'dist/**'],
      environment: 'node',
      passWithNoTests: true,
      testTimeout: 60_000,
      hookTimeout: 60_000,
    },
  } as UserConfig;
}

/** Env var of a per-backend unit-test run (`test-wasm`, `test-tensorflow`); libs/meta-learning's `suite-backend.ts` reads it. */
const TEST_BACKEND_ENV = 'METAREC_TEST_BACKEND';

/** Options of {@link backendUnitTestConfig}. */
export interface BackendUnitTestOptions {
  /** Setup file (from the project root) that selects the run's backend before each test file. */
  readonly setupFile: string;
  /**
   * Test files that run once, in the plain `test` run (cpu), and not again per backend: files that
   * choose their backends themselves (cross-backend, kernel and defect tests) or use no tensors.
   */
  readonly singleRunFiles?: readonly string[];
}

/**
 * Unit tests of a project whose suite runs once per tfjs backend: `setupFile` selects the backend
 * named by METAREC_TEST_BACKEND (unset = cpu) before each file. With the variable set (the Nx
 * targets `test-wasm` and `test-tensorflow`), `singleRunFiles` are left out.
 */
export function backendUnitTestConfig(options: BackendUnitTestOptions): UserConfig {
  const config = unitTestConfig() as UserConfig & { test: { exclude: string[] } };
  const perBackendRun = (process.env[TEST_BACKEND_ENV] ?? '') !== '';
  return {
    ...config,
    test: {
      ...config.test,
      setupFiles: [options.setupFile],
      exclude: [...config.test.exclude, ...(perBackendRun ? (options.singleRunFiles ?? []) : [])],
    },
  } as UserConfig;
}

/** Integration tests: `*.int.test.ts`, against real Redis/Kafka/PostgreSQL. Run one file at a time. */
export function integrationTestConfig(): UserConfig {
  return {
    ...resolveSources(),
    test: {
      include: ['src/**/*.int.test.ts'],
      environment: 'node',
      passWithNoTests: true,
      testTimeout: 180_000,
      hookTimeout: 180_000,
      fileParallelism: false,
    },
  } as UserConfig;
}
