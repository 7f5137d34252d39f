// Root ESLint flat config. Conventions that can be enforced are lint rules here (STYLE.md),
// and the layering of ARCHITECTURE.md is enforced by @nx/enforce-module-boundaries.
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

const TS_FILES = ['**/*.ts', '**/*.mts', '**/*.cts'];

/** Floors: a lib depends only on lower floors; apps on libs; tools on anything but apps. */
const depConstraints = [
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
  { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
  { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:lib', 'type:tool'] },
  { sourceTag: 'floor:base', onlyDependOnLibsWithTags: [] },
  { sourceTag: 'floor:core', onlyDependOnLibsWithTags: ['floor:base'] },
  { sourceTag: 'floor:domain', onlyDependOnLibsWithTags: ['floor:base', 'floor:core'] },
  { sourceTag: 'floor:use-case', onlyDependOnLibsWithTags: ['floor:base', 'floor:core', 'floor:domain'] },
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
  { sourceTag: 'scope:registry', notDependOnLibsWithTags: ['kind:model'] },
  { sourceTag: 'scope:trainer', onlyDependOnLibsWithTags: ['scope:shared', 'scope:trainer'] },
  { sourceTag: 'scope:serving', onlyDependOnLibsWithTags: ['scope:shared', 'scope:serving'] },
];

export default [
  {
    ignores: ['**/dist/**', '**/out-tsc/**', '**/node_modules/**', '**/.cache/**', '**/.data/**', '**/vite.config.*.timestamp*', '**/vitest.config.*.timestamp*'],
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
        },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/explicit-module-boundary-types': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
      'no-process-exit': 'off',
      'no-empty': ['error', { allowEmptyCatch: false }],
      curly: ['error', 'all'],
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Named exports only (STYLE.md); config files are allow-listed.' },
      ],
    },
  },
  // Third-party fences (STYLE.md): each engine's client lives in exactly one lib.
  {
    files: TS_FILES,
    ignores: ['libs/streaming/**', 'tools/dev-services/**', 'libs/training/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [
          { name: 'kafkajs', message: 'kafkajs is imported only by libs/streaming (keep it behind our interface).' },
          { name: 'bullmq', message: 'bullmq is imported only by libs/training.' },
        ],
        patterns: [{ group: ['@tensorflow/*'], message: '@tensorflow/* is imported only by libs/meta-learning.' }],
      }],
    },
  },
  {
    files: ['libs/meta-learning/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [
          { name: 'kafkajs', message: 'meta-learning is pure computation.' },
          { name: 'bullmq', message: 'meta-learning is pure computation.' },
          { name: 'ioredis', message: 'meta-learning is pure computation.' },
        ],
      }],
    },
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
