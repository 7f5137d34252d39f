/** Every failure code `@metarec/meta-learning` throws, prefixed `ML_` (STYLE.md: one string union per lib). */
export type MetaLearningErrorCode =
  | 'ML_LAYOUT_INVALID'
  | 'ML_LAYOUT_MISMATCH'
  | 'ML_PARAM_MISSING'
  | 'ML_SIZE_MISMATCH'
  | 'ML_CONFIG_INVALID'
  | 'ML_ROWS_INVALID'
  | 'ML_TASKS_EMPTY'
  | 'ML_NON_FINITE'
  | 'ML_LOSS_CONSTANT'
  | 'ML_LOSS_ZERO'
  | 'ML_METRIC_SATURATED';

/** The one error class of the model math; branch on `code`, read `details` for the offending field. */
export class MetaLearningError extends Error {
  override readonly name = 'MetaLearningError';
  readonly code: MetaLearningErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: MetaLearningErrorCode, message: string, details: Record<string, unknown> = {}, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.code = code;
    this.details = details;
  }
}
