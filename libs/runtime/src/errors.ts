/**
 * Failure codes of `@metarec/runtime`. Stable strings: apps branch on them.
 *
 * - `RT_CONFIG_INVALID`: environment variables failed the app's config schema (see `issues`).
 * - `RT_OPTIONS_INVALID`: an options object passed to a runtime factory is invalid.
 * - `RT_SHUTDOWN_STEP_FAILED`: a shutdown step threw or timed out (carried in the report).
 * - `RT_WRITE_FAILED`: `writeFileAtomic` could not publish a file (the file system error is the `cause`).
 * - `RT_RNG_STATE_INVALID`: a `SeededRng` got a non-finite seed or a saved state that is not sfc32's.
 */
export type RuntimeErrorCode = 'RT_CONFIG_INVALID' | 'RT_OPTIONS_INVALID' | 'RT_SHUTDOWN_STEP_FAILED' | 'RT_RNG_STATE_INVALID' | 'RT_WRITE_FAILED';

/** Base class of every error thrown by `@metarec/runtime`; branch on `code`. */
export class RuntimeError extends Error {
  override readonly name: string = 'RuntimeError';
  readonly code: RuntimeErrorCode;

  constructor(code: RuntimeErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** One environment variable that failed validation. */
export interface ConfigIssue {
  /** The variable's name, e.g. `KAFKA_BROKERS` (`(root)` for a cross-field rule). */
  readonly variable: string;
  /** Why it was rejected, from the schema. */
  readonly message: string;
}

/** Thrown by `loadConfig`: lists every bad variable at once, so one restart fixes them all. */
export class ConfigError extends RuntimeError {
  override readonly name = 'ConfigError';
  declare readonly code: 'RT_CONFIG_INVALID';
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[], options?: { cause?: unknown }) {
    const lines = issues.map((issue) => `  ${issue.variable}: ${issue.message}`).join('\n');
    super('RT_CONFIG_INVALID', `invalid configuration (${issues.length} variable(s)):\n${lines}`, options);
    this.issues = issues;
  }
}

/** An options object handed to a runtime factory is invalid (thrown before any I/O). */
export class RuntimeOptionsError extends RuntimeError {
  override readonly name = 'RuntimeOptionsError';
  declare readonly code: 'RT_OPTIONS_INVALID';
  /** The offending option's name. */
  readonly option: string;

  constructor(option: string, reason: string) {
    super('RT_OPTIONS_INVALID', `invalid option ${option}: ${reason}`);
    this.option = option;
  }
}
