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
