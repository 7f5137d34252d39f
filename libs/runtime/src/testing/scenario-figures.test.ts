import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { recordScenarioFigures, SCENARIO_FIGURES_FILE_VARIABLE } from './scenario-figures.js';

describe('recordScenarioFigures', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir !== undefined) {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('appends one JSON line per scenario to the file the variable names', async () => {
    dir = await mkdtemp(join(tmpdir(), 'figures-'));
    const file = join(dir, 'figures.jsonl');
    const env = { [SCENARIO_FIGURES_FILE_VARIABLE]: file };
    recordScenarioFigures('a', { sent: 10, failed: 0 }, env);
    recordScenarioFigures('b', { status5xx: 0 }, env);
    const lines = (await readFile(file, 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as unknown);
    expect(lines).toEqual([
      { scenario: 'a', figures: { sent: 10, failed: 0 } },
      { scenario: 'b', figures: { status5xx: 0 } },
    ]);
  });

});
