import { appendFileSync } from 'node:fs';

/** The variable naming the JSON-lines file a fault scenario's figures are appended to (`npm run test:faults` sets it). */
export const SCENARIO_FIGURES_FILE_VARIABLE = 'METAREC_SCENARIO_FIGURES_FILE';

/** Figures a scenario measured and asserted: counts of events, requests, failures, 5xx answers. */
export type ScenarioFigures = Readonly<Record<string, number>>;

/**
 * Records what a fault scenario measured, after its assertions passed: one line on stdout and, when
 * `METAREC_SCENARIO_FIGURES_FILE` is set, one JSON line in that file, so the suite ends with every
 * scenario's figures in one table instead of each test's own wording.
 */
export function recordScenarioFigures(scenario: string, figures: ScenarioFigures, env: Readonly<Record<string, string | undefined>> = process.env): void {
  const line = JSON.stringify({ scenario, figures });
  process.stdout.write(`[figures] ${line}\n`);
  const file = env[SCENARIO_FIGURES_FILE_VARIABLE];
  if (file !== undefined && file !== '') {
    // Synchronous append: one short line, and the file is read only after every test process ended.
    appendFileSync(file, `${line}\n`);
  }
}
