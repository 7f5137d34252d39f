import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import type { EvaluationResults } from '@metarec/evaluation';
import { EvalConfigError, mergeResults } from '@metarec/evaluation';

function asResults(value: unknown, file: string): EvaluationResults {
  const v = value as Partial<EvaluationResults> | null;
  if (v?.schemaVersion !== 1 || !Array.isArray(v.perSeed) || !Array.isArray(v.methods) || !Array.isArray(v.scenarios) || typeof v.methodKinds !== 'object') {
    throw new EvalConfigError('EVAL_CONFIG_INVALID', `${file} is not a metarec-eval results.json (schemaVersion 1 with perSeed, methods, scenarios, methodKinds)`);
  }
  return v as EvaluationResults;
}

/** Reads `<dir>/results.json` of each run directory and merges them (disjoint seeds). */
export async function mergeRunDirectories(dirs: readonly string[]): Promise<EvaluationResults> {
  const parts: EvaluationResults[] = [];
  for (const dir of dirs) {
    const file = join(dir, 'results.json');
    parts.push(asResults(JSON.parse(await readFile(file, 'utf8')) as unknown, file));
  }
  return mergeResults(parts);
}
