// Root ESLint flat config. Conventions that can be enforced are lint rules here (STYLE.md),
// and the layering of ARCHITECTURE.md is enforced by @nx/enforce-module-boundaries.
// tools/workspace/src/module-boundaries.test.ts proves every constraint and fence below rejects a
// violating import and accepts a conforming one; a rule added here without a case there fails it.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

const TS_FILES = ['**/*.ts', '**/*.mts', '**/*.cts'];

/** Floors: a lib depends only on lower floors; apps on libs; tools on anything but apps. */
export const depConstraints = [
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
  { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
  { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:lib', 'type:tool'] },
  { sourceTag: 'floor:base', onlyDependOnLibsWithTags: [] },
  { sourceTag: 'floor:core', onlyDependOnLibsWithTags: ['floor:base'] },
  { sourceTag: 'floor:domain', onlyDependOnLibsWithTags: ['floor:base', 'floor:core'] },
  { sourceTag: 'floor:use-case', onlyDependOnLibsWithTags: ['floor:base', 'floor:core', 'floor:domain'] },
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
  { sourceTag: 'scope:ingest', onlyDependOnLibsWithTags: ['scope:shared', 'scope:ingest'] },
  { sourceTag: 'scope:registry', onlyDependOnLibsWithTags: ['scope:shared', 'scope:registry'] },
  { sourceTag: 'scope:trainer', onlyDependOnLibsWithTags: ['scope:shared', 'scope:trainer'] },
  { sourceTag: 'scope:serving', onlyDependOnLibsWithTags: ['scope:shared', 'scope:serving'] },
  // The registry treats a bundle as files plus a manifest; the model format is meta-learning's.
  // Keyed on `kind:registry` (libs/registry and apps/registry), not on a scope: libs/registry is
  // `scope:shared`, so a scope-keyed rule never reached it.
  { sourceTag: 'kind:registry', notDependOnLibsWithTags: ['kind:model'] },
];

/**
 * Import fences (STYLE.md, "Third-party imports are fenced"): who may import a module, by project
 * folder (`apps/*` is every app). A module name matches itself and its subpaths; `scope/*` matches
 * every package of an npm scope. Applied per project below, because flat config does not merge the
 * options of one rule across blocks: each project gets one `no-restricted-imports` with every fence
 * it sits outside of.
 */
export const importFences = [
  { modules: ['kafkajs'], allowedIn: ['libs/streaming', 'tools/dev-services'], message: 'kafkajs is imported only by libs/streaming (keep it behind our interface; tools/dev-services administers the broker).' },
  { modules: ['bullmq'], allowedIn: ['libs/training'], message: 'bullmq is imported only by libs/training (queue names and job payloads live beside it).' },
  { modules: ['@tensorflow/*'], allowedIn: ['libs/meta-learning'], message: '@tensorflow/* is imported only by libs/meta-learning (the model floor).' },
  // libs/runtime holds the one copy of the wiring both HTTP apps share (zod route schemas, OpenAPI), behind its own `@metarec/runtime/http` entry.
  { modules: ['fastify', '@fastify/*', 'fastify-type-provider-zod'], allowedIn: ['apps/*', 'libs/runtime'], message: 'fastify is imported only by apps and @metarec/runtime/http (domain libs know nothing of HTTP).' },
  { modules: ['ioredis'], allowedIn: ['libs/feature-store', 'libs/training', 'libs/serving', 'apps/*', 'tools/*'], message: 'ioredis is imported only by feature-store, training, serving, apps and tools (pure libs get no Redis).' },
  { modules: ['pg'], allowedIn: ['libs/registry', 'apps/*', 'tools/*'], message: 'pg is imported only by libs/registry, apps and tools.' },
  { regex: '^@metarec/[^/]+/src(/|$)', allowedIn: [], message: "Import another project through its entry (@metarec/<name> or @metarec/<name>/testing), never a path under its src/." },
  // Apps export no entry, so @nx/enforce-module-boundaries cannot resolve (and check) an import of one.
  { modules: ['@metarec/ingest', '@metarec/trainer', '@metarec/registry-app', '@metarec/serving-app'], allowedIn: [], message: 'Apps are composition roots: nothing imports an app.' },
];

/** Production code of libs and apps never imports a `testing` entry; tests and `src/testing/` do. */
export const testingEntryFence = {
  regex: '^@metarec/[^/]+/testing$',
  message: 'A testing entry is for tests and other testing helpers, not for production code.',
};

/** Files that may call `process.exit`: process entry points, each run as its own process. */
export const processExitAllowed = [
  'apps/*/src/main.ts',
  // The registry's bin (`registry`): commander exit codes, 2 for coded registry errors.
  'apps/registry/src/cli.ts',
  // One-shot CronJob entry points of ingest; exit codes tell the scheduler whether the run failed.
  'apps/ingest/src/compact.ts',
  'apps/ingest/src/co-occurrence.ts',
  // CLI entry points of tools.
  'tools/*/src/main.ts',
];

function escapeRegex(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function fenceRegex(fence) {
  if (fence.regex !== undefined) {
    return fence.regex;
  }
  const alternatives = fence.modules.map((name) =>
    name.endsWith('/*') ? `${escapeRegex(name.slice(0, -1))}` : `${escapeRegex(name)}(/|$)`,
  );
  return `^(${alternatives.join('|')})`;
}

function allows(fence, projectDir) {
  return fence.allowedIn.some((allowed) =>
    allowed.endsWith('/*') ? projectDir.startsWith(allowed.slice(0, -1)) : projectDir === allowed,
  );
}

function restrictedImports(fences) {
  return ['error', { patterns: fences.map((fence) => ({ regex: fenceRegex(fence), message: fence.message })) }];
}

const PROJECT_DIRS = ['libs', 'apps', 'tools'].flatMap((group) =>
  readdirSync(join(import.meta.dirname, group), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(import.meta.dirname, group, entry.name, 'package.json')))
    .map((entry) => `${group}/${entry.name}`),
);

const TEST_FILES = ['**/*.test.ts', '**/*.int.test.ts', '**/*.test-d.ts'];

/** One block per project (and one more for lib and app production code); see `importFences`. */
function fenceBlocks(projectDir) {
  const outside = importFences.filter((fence) => !allows(fence, projectDir));
  const blocks = [{ files: [`${projectDir}/**/*.ts`], rules: { 'no-restricted-imports': restrictedImports(outside) } }];
  if (!projectDir.startsWith('tools/')) {
    blocks.push({
      files: [`${projectDir}/src/**/*.ts`],
      ignores: [...TEST_FILES, `${projectDir}/src/testing/**`, `${projectDir}/src/testing.ts`],
      rules: { 'no-restricted-imports': restrictedImports([...outside, testingEntryFence]) },
    });
  }
  return blocks;
}

export default [
  {
    // generated/: openapi-typescript's output, checked against its source by a test instead.
    ignores: ['**/generated/**', '**/dist/**', '**/out-tsc/**', '**/node_modules/**', '**/.cache/**', '**/.data/**', '**/vite.config.*.timestamp*', '**/vitest.config.*.timestamp*'],
  },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    files: TS_FILES,
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          allow: [],
          depConstraints,
          // Node processes import libs lazily so `--help` loads nothing heavy; there is no bundle
          // splitting for the static/dynamic import rule to protect.
          checkDynamicDependenciesExceptions: ['@metarec/**'],
        },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/explicit-module-boundary-types': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
      'no-process-exit': 'error',
      'no-empty': ['error', { allowEmptyCatch: false }],
      curly: ['error', 'all'],
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Named exports only (STYLE.md); config files are allow-listed.' },
      ],
    },
  },
  // Third-party and entry fences (STYLE.md), per project: see `importFences`.
  ...PROJECT_DIRS.flatMap(fenceBlocks),
  // Only apps read process.env (STYLE.md), through runtime's loadConfig; libs get typed options.
  // Test helpers (tests, src/testing/) may read it to find local services.
  {
    files: ['libs/*/src/**/*.ts'],
    ignores: [...TEST_FILES, 'libs/*/src/testing/**', 'libs/*/src/testing.ts', 'libs/runtime/src/config/load-config.ts'],
    rules: { 'no-process-env': 'error' },
  },
  // process.exit ends a process without its ordered shutdown; only entry points may call it.
  {
    files: processExitAllowed,
    rules: { 'no-process-exit': 'off' },
  },
  // Tools and tests may print; libs and apps use the injected logger.
  {
    files: ['tools/**/*.ts', '**/*.test.ts', '**/*.int.test.ts'],
    rules: { 'no-console': 'off' },
  },
  // Allow-list for default exports: tools that load their config that way. These files sit
  // outside every tsconfig, so they are linted without type information.
  {
    files: ['**/vitest.config.ts', '**/vitest.int.config.ts', 'vitest.shared.ts', '**/eslint.config.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { parserOptions: { projectService: false, project: null } },
    rules: {
      ...tseslint.configs.disableTypeChecked.rules,
      // They import the root vitest.shared.ts, which belongs to no project.
      '@nx/enforce-module-boundaries': 'off',
      'no-restricted-syntax': 'off',
      '@typescript-eslint/explicit-module-boundary-types': 'off',
    },
  },
];
