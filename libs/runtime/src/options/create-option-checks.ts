/** Builds a lib's own coded error (its class, its `*_OPTIONS_INVALID` code) for an invalid option. */
export type InvalidOptionFactory = (option: string, reason: string) => Error;

/** Option checks that throw the error of the lib that created them (see {@link createOptionChecks}). */
export interface OptionChecks {
  /** Throws unless `value` is a safe integer in `[min, max]` (`max` defaults to `Number.MAX_SAFE_INTEGER`). */
  requireInt(option: string, value: number, min: number, max?: number): void;
  /** Throws unless `value` is a finite number ≥ `min`. */
  requireNumber(option: string, value: number, min: number): void;
  /** Throws unless `value` is a string with a non-whitespace character. */
  requireNonBlank(option: string, value: string): void;
}

/**
 * The option checks every lib runs in its constructors, once, throwing through `invalid` so each lib
 * keeps its own error class and code (`SERVING_OPTIONS_INVALID`, `FS_OPTIONS_INVALID`, ...). A lib
 * creates them once beside its errors: `export const { requireInt } = createOptionChecks(invalidOption)`.
 */
export function createOptionChecks(invalid: InvalidOptionFactory): OptionChecks {
  return {
    requireInt(option, value, min, max = Number.MAX_SAFE_INTEGER) {
      if (!Number.isSafeInteger(value) || value < min || value > max) {
        const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `in [${min}, ${max}]`;
        throw invalid(option, `must be an integer ${range}, got ${value}`);
      }
    },
    requireNumber(option, value, min) {
      if (!Number.isFinite(value) || value < min) {
        throw invalid(option, `must be a finite number >= ${min}, got ${value}`);
      }
    },
    requireNonBlank(option, value) {
      if (typeof value !== 'string' || value.trim() === '') {
        throw invalid(option, 'must be a non-empty string');
      }
    },
  };
}
