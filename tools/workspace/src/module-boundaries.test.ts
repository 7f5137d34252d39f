// Proves the lint setup enforces ARCHITECTURE.md and STYLE.md: each case lints a probe file as if it
// were written inside a real project, with the repo's own eslint.config.mjs. Type-aware rules are
// filtered out (the probe file does not exist on disk), the boundary rules run unchanged. Every
// dependency constraint and every import fence has a violation that must fail and a conforming
// import that must pass; a rule added to eslint.config.mjs without a case here fails the coverage tests.
import { fileURLToPath, pathToFileURL } from 'node:url';

import { createProjectGraphAsync } from '@nx/devkit';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BOUNDARY_RULES = new Set(['@nx/enforce-module-boundaries', 'no-restricted-imports', 'no-process-exit', 'no-process-env']);
const NX_RULE = '@nx/enforce-module-boundaries';

interface DepConstraint {
  readonly sourceTag: string;
}
interface ImportFence {
  readonly message: string;
}
interface LintConfigModule {
  readonly depConstraints: readonly DepConstraint[];
  readonly importFences: readonly ImportFence[];
  readonly testingEntryFence: ImportFence;
  readonly kafkaAdapterFence: ImportFence;
}

/** Where a probe is written (a path relative to the repo root) and the code it holds. */
interface Probe {
  readonly file: string;
  readonly code: string;
}

function importProbe(projectDir: string, specifier: string, fileName = 'src/boundary-probe.ts'): Probe {
  return {
    file: `${projectDir}/${fileName}`,
    code: `import * as imported from '${specifier}';\nexport const probe: unknown = imported;\n`,
  };
}

let config: LintConfigModule;
let fullConfig: ESLint;

beforeAll(async () => {
  // @nx/enforce-module-boundaries reads the cached project graph and silently skips itself when
  // there is none (a fresh clone or worktree), which would let every boundary case pass vacuously.
  await createProjectGraphAsync({ exitOnError: false });
  config = (await import(pathToFileURL(`${REPO_ROOT}eslint.config.mjs`).href)) as LintConfigModule;
  fullConfig = new ESLint({
    cwd: REPO_ROOT,
    overrideConfig: { languageOptions: { parserOptions: { projectService: false, project: null } } },
    ruleFilter: ({ ruleId }) => BOUNDARY_RULES.has(ruleId),
  });
}, 60_000);

async function lint(eslint: ESLint, probe: Probe): Promise<string[]> {
  const [result] = await eslint.lintText(probe.code, { filePath: `${REPO_ROOT}${probe.file}` });
  return (result?.messages ?? []).map((m) => `${m.ruleId ?? 'parser'}: ${m.message}`);
}

/** An ESLint whose module-boundary rule holds one constraint only, so a case shows that constraint alone rejects it. */
function soleConstraintLinter(constraint: DepConstraint): ESLint {
  return new ESLint({
    cwd: REPO_ROOT,
    overrideConfig: {
      languageOptions: { parserOptions: { projectService: false, project: null } },
      rules: { [NX_RULE]: ['error', { allow: [], enforceBuildableLibDependency: false, depConstraints: [constraint] }] },
    },
    ruleFilter: ({ ruleId }) => ruleId === NX_RULE,
  });
}

interface ConstraintCase {
  readonly sourceTag: string;
  readonly violation: Probe;
  readonly conforming: Probe;
}

// Each violation is chosen so that the constraint named is the reason to reject it, and no cycle forms.
const CONSTRAINT_CASES: readonly ConstraintCase[] = [
  { sourceTag: 'type:app', violation: importProbe('apps/ingest', '@metarec/loadgen'), conforming: importProbe('apps/ingest', '@metarec/runtime') },
  { sourceTag: 'type:lib', violation: importProbe('libs/streaming', '@metarec/eval'), conforming: importProbe('libs/streaming', '@metarec/runtime') },
  // Apps export only package.json; that subpath is the one import of an app Nx can resolve.
  { sourceTag: 'type:tool', violation: importProbe('tools/eval', '@metarec/registry-app/package.json'), conforming: importProbe('tools/eval', '@metarec/evaluation') },
  { sourceTag: 'floor:base', violation: importProbe('libs/runtime', '@metarec/schemas'), conforming: importProbe('libs/runtime', 'zod') },
  { sourceTag: 'floor:core', violation: importProbe('libs/streaming', '@metarec/evaluation'), conforming: importProbe('libs/datasets', '@metarec/schemas') },
  { sourceTag: 'floor:domain', violation: importProbe('libs/evaluation', '@metarec/serving'), conforming: importProbe('libs/evaluation', '@metarec/meta-learning') },
  { sourceTag: 'floor:use-case', violation: importProbe('libs/serving', '@metarec/training'), conforming: importProbe('libs/serving', '@metarec/registry') },
  { sourceTag: 'scope:shared', violation: importProbe('libs/evaluation', '@metarec/serving'), conforming: importProbe('libs/feature-store', '@metarec/schemas') },
  { sourceTag: 'scope:ingest', violation: importProbe('apps/ingest', '@metarec/training'), conforming: importProbe('apps/ingest', '@metarec/streaming') },
  { sourceTag: 'scope:registry', violation: importProbe('apps/registry', '@metarec/serving'), conforming: importProbe('apps/registry', '@metarec/registry') },
  { sourceTag: 'scope:trainer', violation: importProbe('apps/trainer', '@metarec/serving'), conforming: importProbe('apps/trainer', '@metarec/training') },
  { sourceTag: 'scope:serving', violation: importProbe('apps/serving', '@metarec/training'), conforming: importProbe('apps/serving', '@metarec/serving') },
  { sourceTag: 'kind:registry', violation: importProbe('libs/registry', '@metarec/meta-learning'), conforming: importProbe('libs/registry', '@metarec/runtime') },
];

describe('dependency constraints (@nx/enforce-module-boundaries)', () => {
  it('has a case for every constraint in eslint.config.mjs', () => {
    expect(CONSTRAINT_CASES.map((c) => c.sourceTag).sort()).toEqual(config.depConstraints.map((c) => c.sourceTag).sort());
  });

  for (const c of CONSTRAINT_CASES) {
    it(`${c.sourceTag}: rejects ${c.violation.file.split('/src/')[0]} importing ${c.violation.code.split("'")[1]}`, async () => {
      const constraint = config.depConstraints.find((d) => d.sourceTag === c.sourceTag);
      expect(constraint).toBeDefined();
      const alone = await lint(soleConstraintLinter(constraint as DepConstraint), c.violation);
      expect(alone.join('\n')).toContain(`tagged with "${c.sourceTag}"`);
      expect((await lint(fullConfig, c.violation)).join('\n')).toContain(NX_RULE);
    });

    it(`${c.sourceTag}: accepts ${c.conforming.file.split('/src/')[0]} importing ${c.conforming.code.split("'")[1]}`, async () => {
      expect(await lint(fullConfig, c.conforming)).toEqual([]);
    });
  }

  it('kind:registry: the registry app may not reach the model through another lib either', async () => {
    const messages = await lint(fullConfig, importProbe('apps/registry', '@metarec/evaluation'));
    expect(messages.join('\n')).toMatch(/tagged with "kind:registry" can not depend on libs tagged with "kind:model"/);
  });

  it('rejects a relative import into another project', async () => {
    const messages = await lint(fullConfig, importProbe('libs/datasets', '../../schemas/src/index.js'));
    expect(messages.join('\n')).toMatch(/enforce-module-boundaries.*relative or absolute path/);
  });
});

interface FenceCase {
  /** Matches the fence's message; also how the coverage test ties a case to its fence. */
  readonly message: RegExp;
  readonly rejected: readonly Probe[];
  readonly accepted: readonly Probe[];
}

const FENCE_CASES: readonly FenceCase[] = [
  {
    message: /Kafka client packages .* are imported only by libs\/streaming/,
    // libs/training was exempt from every fence before; tools/dev-services imported kafkajs itself.
    rejected: [
      importProbe('libs/training', 'kafkajs'),
      importProbe('apps/ingest', 'kafkajs'),
      importProbe('libs/meta-learning', 'kafkajs'),
      importProbe('tools/dev-services', 'kafkajs'),
      importProbe('apps/ingest', '@platformatic/kafka'),
      importProbe('tools/bench', '@confluentinc/kafka-javascript'),
    ],
    accepted: [importProbe('libs/streaming', 'kafkajs', 'src/kafkajs/boundary-probe.ts'), importProbe('tools/dev-services', '@metarec/streaming')],
  },
  {
    message: /Inside libs\/streaming only the adapter folders/,
    rejected: [
      importProbe('libs/streaming', 'kafkajs'),
      importProbe('libs/streaming', '@platformatic/kafka', 'src/testing/in-memory-kafka.ts'),
      importProbe('libs/streaming', '@confluentinc/kafka-javascript', 'src/kafka-client.test.ts'),
    ],
    accepted: [
      importProbe('libs/streaming', 'kafkajs', 'src/kafkajs/boundary-probe.ts'),
      importProbe('libs/streaming', '@platformatic/kafka', 'src/platformatic/boundary-probe.ts'),
      importProbe('libs/streaming', '@confluentinc/kafka-javascript', 'src/confluent/boundary-probe.test.ts'),
    ],
  },
  {
    message: /bullmq is imported only by libs\/training/,
    rejected: [importProbe('apps/trainer', 'bullmq'), importProbe('libs/serving', 'bullmq')],
    accepted: [importProbe('libs/training', 'bullmq')],
  },
  {
    message: /@tensorflow\/\* is imported only by libs\/meta-learning/,
    rejected: [importProbe('libs/training', '@tensorflow/tfjs'), importProbe('libs/evaluation', '@tensorflow/tfjs-core'), importProbe('apps/serving', '@tensorflow/tfjs-backend-wasm')],
    accepted: [importProbe('libs/meta-learning', '@tensorflow/tfjs-core')],
  },
  {
    message: /fastify is imported only by apps/,
    rejected: [importProbe('libs/serving', 'fastify'), importProbe('libs/registry', '@fastify/cors'), importProbe('tools/bench', 'fastify')],
    accepted: [importProbe('apps/serving', 'fastify'), importProbe('apps/registry', '@fastify/static'), importProbe('libs/runtime', '@fastify/swagger', 'src/http/boundary-probe.ts')],
  },
  {
    message: /ioredis is imported only by feature-store, training, serving, apps and tools/,
    rejected: [importProbe('libs/registry', 'ioredis'), importProbe('libs/meta-learning', 'ioredis'), importProbe('libs/streaming', 'ioredis')],
    accepted: [importProbe('libs/feature-store', 'ioredis'), importProbe('libs/training', 'ioredis'), importProbe('apps/ingest', 'ioredis'), importProbe('tools/bench', 'ioredis')],
  },
  {
    message: /pg is imported only by libs\/registry, apps and tools/,
    rejected: [importProbe('libs/training', 'pg'), importProbe('libs/serving', 'pg')],
    // A local file named like the package is not the package.
    accepted: [importProbe('libs/registry', 'pg'), importProbe('apps/serving', 'pg'), importProbe('libs/training', './pg.js')],
  },
  {
    message: /never a path under its src\//,
    rejected: [importProbe('libs/datasets', '@metarec/schemas/src/index.js'), importProbe('tools/eval', '@metarec/evaluation/src/baselines/index.js')],
    accepted: [importProbe('libs/datasets', '@metarec/schemas'), importProbe('libs/datasets', '@metarec/schemas/testing', 'src/reader.test.ts')],
  },
  {
    message: /nothing imports an app/,
    rejected: [importProbe('tools/pipeline', '@metarec/ingest'), importProbe('apps/serving', '@metarec/registry-app')],
    accepted: [importProbe('tools/pipeline', '@metarec/training')],
  },
  {
    message: /A testing entry is for tests/,
    rejected: [importProbe('libs/serving', '@metarec/feature-store/testing'), importProbe('apps/ingest', '@metarec/streaming/testing', 'src/app.ts')],
    accepted: [
      importProbe('libs/serving', '@metarec/feature-store/testing', 'src/request/handler.test.ts'),
      importProbe('libs/serving', '@metarec/feature-store/testing', 'src/testing/probe-harness.ts'),
      importProbe('libs/serving', '@metarec/feature-store/testing', 'src/testing.ts'),
      importProbe('tools/bench', '@metarec/serving/testing'),
    ],
  },
];

describe('import fences (no-restricted-imports)', () => {
  it('has a case for every fence in eslint.config.mjs', () => {
    const fences = [...config.importFences, config.testingEntryFence, config.kafkaAdapterFence];
    const uncovered = fences.filter((fence) => !FENCE_CASES.some((c) => c.message.test(fence.message)));
    expect(uncovered.map((fence) => fence.message)).toEqual([]);
  });

  for (const c of FENCE_CASES) {
    for (const probe of c.rejected) {
      it(`rejects ${probe.code.split("'")[1]} in ${probe.file}`, async () => {
        const messages = (await lint(fullConfig, probe)).join('\n');
        expect(messages).toContain('no-restricted-imports');
        expect(messages).toMatch(c.message);
      });
    }
    for (const probe of c.accepted) {
      it(`accepts ${probe.code.split("'")[1]} in ${probe.file}`, async () => {
        expect(await lint(fullConfig, probe)).toEqual([]);
      });
    }
  }
});

describe('process.exit (no-process-exit)', () => {
  const exitProbe = (file: string): Probe => ({ file, code: 'process.exit(1);\n' });

  for (const file of ['libs/runtime/src/shutdown/probe.ts', 'apps/serving/src/app.ts', 'tools/bench/src/serving-hot-swap.ts', 'apps/trainer/src/main.test.ts']) {
    it(`rejects process.exit in ${file}`, async () => {
      expect((await lint(fullConfig, exitProbe(file))).join('\n')).toContain('no-process-exit');
    });
  }

  for (const file of ['apps/serving/src/main.ts', 'apps/registry/src/cli.ts', 'apps/ingest/src/compact.ts', 'tools/eval/src/main.ts']) {
    it(`accepts process.exit in the entry point ${file}`, async () => {
      expect(await lint(fullConfig, exitProbe(file))).toEqual([]);
    });
  }
});

describe('process.env (no-process-env)', () => {
  const envProbe = (file: string): Probe => ({ file, code: "export const level: unknown = process.env['LOG_LEVEL'];\n" });

  for (const file of ['libs/serving/src/request/probe.ts', 'libs/runtime/src/logging/probe.ts']) {
    it(`rejects reading process.env in the lib file ${file}`, async () => {
      expect((await lint(fullConfig, envProbe(file))).join('\n')).toContain('no-process-env');
    });
  }

  for (const file of ['libs/runtime/src/config/load-config.ts', 'libs/training/src/testing/local-redis.ts', 'libs/meta-learning/src/algorithms/meta-step.test.ts', 'apps/serving/src/main.ts', 'tools/bench/src/probe.ts']) {
    it(`accepts reading process.env in ${file}`, async () => {
      expect(await lint(fullConfig, envProbe(file))).toEqual([]);
    });
  }
});
