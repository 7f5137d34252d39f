import type { Dataset } from '@metarec/datasets';
import type { RatingsTable, RecommenderFactory } from '@metarec/evaluation';
import { BASELINE_NAMES, EvalConfigError, baselineFactory } from '@metarec/evaluation';

/** What a method factory may need beyond the training set: the features for neural models and the run's knobs. */
export interface MethodContext {
  readonly algorithm: 'maml' | 'fomaml' | 'reptile' | 'metasgd';
  readonly epochs: number;
  /** Profiles for feature encoding (absent on the synthetic table: neural methods then refuse). */
  readonly dataset: Dataset | undefined;
  readonly table: RatingsTable;
}

/** Every method name the CLI knows. */
export const ALL_METHOD_NAMES: readonly string[] = [...BASELINE_NAMES];

/** Methods run when `--methods` is not given. */
export const DEFAULT_METHOD_NAMES: string[] = [...BASELINE_NAMES];

/** Factories for the requested names; throws `EvalConfigError` on an unknown name. */
export function methodFactories(names: readonly string[], _context: MethodContext): RecommenderFactory[] {
  return names.map((name) => {
    if ((BASELINE_NAMES as readonly string[]).includes(name)) {
      return baselineFactory(name as (typeof BASELINE_NAMES)[number]);
    }
    throw new EvalConfigError('EVAL_CONFIG_INVALID', `unknown method "${name}"; known: ${ALL_METHOD_NAMES.join(', ')}`);
  });
}
