/**
 * Run metric keys the registry's views know (MLflow leaves keys free; these give the charts their
 * meaning). Anything else is still stored and listed.
 */
export const RUN_METRIC_KEYS = {
  /** Mean meta-training loss per outer step. */
  trainLoss: 'train/loss',
  /** Mean query loss after adaptation on the validation users, at each validated step. */
  validationLoss: 'validation/loss',
} as const;

/** `eval/<scenario>/<method>/<metric>`: the evaluation table, logged at the run's last step. */
export const EVAL_METRIC_PREFIX = 'eval/';

/**
 * `cold_start/<metric>/<method>`: a cold-start curve, logged with step = support size (ratings the
 * user gave before being served), as the evaluation protocol's curve reports it.
 */
export const COLD_START_METRIC_PREFIX = 'cold_start/';

/** The run metric key of one cell of an evaluation table. */
export function evalMetricKey(scenario: string, method: string, metric: string): string {
  return `${EVAL_METRIC_PREFIX}${scenario}/${method}/${metric}`;
}

/** The run metric key of one cold-start curve. */
export function coldStartMetricKey(metric: string, method: string): string {
  return `${COLD_START_METRIC_PREFIX}${metric}/${method}`;
}
