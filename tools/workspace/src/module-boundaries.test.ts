// Proves the lint setup enforces ARCHITECTURE.md: each case lints a probe import as if it were
// written inside a real project, with the repo's own eslint.config.mjs. Type-aware rules are
// filtered out (the probe file does not exist on disk), the boundary rules run unchanged.
import { fileURLToPath } from 'node:url';

import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BOUNDARY_RULES = new Set(['@nx/enforce-module-boundaries', 'no-restricted-imports']);

async function lintProbe(projectDir: string, importLine: string): Promise<string[]> {
  const eslint = new ESLint({
    cwd: REPO_ROOT,
    overrideConfig: { languageOptions: { parserOptions: { projectService: false, project: null } } },
    ruleFilter: ({ ruleId }) => BOUNDARY_RULES.has(ruleId),
  });
  const code = `${importLine}\nexport const probe: unknown = imported;\n`;
  const [result] = await eslint.lintText(code, { filePath: `${projectDir}/src/boundary-probe.ts` });
  return (result?.messages ?? []).map((m) => `${m.ruleId ?? 'parser'}: ${m.message}`);
}

describe('module boundaries', () => {
  it('rejects a core lib importing a domain lib (floors go down only)', async () => {
    const messages = await lintProbe('libs/streaming', "import { imported } from '@metarec/evaluation';");
    expect(messages.join('\n')).toMatch(/enforce-module-boundaries.*floor:core/s);
  });

  it('rejects a lib importing a tool (libs never depend on tools or apps)', async () => {
    // A tool that does not depend on streaming, so the probe creates no cycle (which would be reported instead).
    const messages = await lintProbe('libs/streaming', "import { imported } from '@metarec/eval';");
    expect(messages.join('\n')).toMatch(/enforce-module-boundaries.*type:lib/s);
  });

  it('rejects kafkajs outside libs/streaming', async () => {
    const messages = await lintProbe('libs/datasets', "import { Kafka as imported } from 'kafkajs';");
    expect(messages.join('\n')).toMatch(/no-restricted-imports.*kafkajs is imported only by libs\/streaming/);
  });

  it('rejects @tensorflow outside libs/meta-learning', async () => {
    const messages = await lintProbe('libs/evaluation', "import * as imported from '@tensorflow/tfjs';");
    expect(messages.join('\n')).toMatch(/no-restricted-imports.*only by libs\/meta-learning/);
  });

  it('accepts an allowed import (a core lib on a base lib)', async () => {
    const messages = await lintProbe('libs/datasets', "import { assertRowsMatchLayout as imported } from '@metarec/schemas';");
    expect(messages).toEqual([]);
  });
});
