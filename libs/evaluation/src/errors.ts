/** Error codes of @metarec/evaluation; each names a failure a caller can branch on. */
export type EvaluationErrorCode =
  | 'EVAL_CONFIG_INVALID'
  | 'EVAL_DATA_INVALID'
  | 'EVAL_LEAK_DETECTED'
  | 'EVAL_METRIC_SATURATED'
  | 'EVAL_LOSS_DEGENERATE';

/** Base class: every evaluation failure carries a stable `code`. */
export class EvaluationError extends Error {
  override readonly name: string = 'EvaluationError';
  readonly code: EvaluationErrorCode;

  constructor(code: EvaluationErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** An option or input is out of range; the message names the field. Code `EVAL_CONFIG_INVALID` or `EVAL_DATA_INVALID`. */
export class EvalConfigError extends EvaluationError {
  override readonly name = 'EvalConfigError';
}

/** An evaluation rating (user, item) is reachable by training. Code `EVAL_LEAK_DETECTED`. */
export class EvalLeakError extends EvaluationError {
  override readonly name = 'EvalLeakError';
  constructor(message: string) {
    super('EVAL_LEAK_DETECTED', message);
  }
}

/**
 * A run looks broken (a metric at its perfect value, a loss constant or zero) and must not be
 * reported. Code `EVAL_METRIC_SATURATED` or `EVAL_LOSS_DEGENERATE`.
 */
export class EvalHealthError extends EvaluationError {
  override readonly name = 'EvalHealthError';
}
