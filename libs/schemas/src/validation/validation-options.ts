import { SchemaError } from '../errors/schema-error.js';

/**
 * Lower bound for timestamps: 1995-01-01T00:00:00Z in epoch ms. Early enough for every
 * MovieLens release (ML-20M/25M start in January 1995, ML-100K in 1997), late enough to catch
 * the classic unit bug: a seconds timestamp read as milliseconds lands in January 1970.
 */
export const MIN_TIMESTAMP_MS = Date.UTC(1995, 0, 1);

/** How far past the clock a timestamp may lie (producer clock skew, time zones done wrong once). */
export const DEFAULT_MAX_FUTURE_SKEW_MS = 24 * 60 * 60 * 1000;

/** What to do with keys a schema does not declare. */
export type UnknownFieldPolicy = 'reject' | 'strip';

/** Options of every validator. */
export interface ValidationOptions {
  /**
   * The current time, epoch ms; timestamps must not exceed `nowMs + maxFutureSkewMs`. Pass it
   * for determinism (tests, replaying a backlog).
   * @defaultValue `Date.now()` at the call
   */
  readonly nowMs?: number;
  /** @defaultValue {@link DEFAULT_MAX_FUTURE_SKEW_MS} (1 day) */
  readonly maxFutureSkewMs?: number;
  /** Earliest accepted timestamp, epoch ms. @defaultValue {@link MIN_TIMESTAMP_MS} (1995-01-01) */
  readonly minTimestampMs?: number;
  /**
   * Keys the schema does not declare: `'reject'` fails with `SCHEMA_UNKNOWN_FIELD` (a typo such
   * as `sessionId` for `session_id` would otherwise silently become null); `'strip'` drops them,
   * for consumers that must accept events from producers on a newer schema version.
   * @defaultValue 'reject'
   */
  readonly unknownFields?: UnknownFieldPolicy;
}

/** {@link ValidationOptions} with every default applied. */
export interface ResolvedValidationOptions {
  readonly minTimestampMs: number;
  readonly maxTimestampMs: number;
  readonly unknownFields: UnknownFieldPolicy;
}

/** Applies defaults; throws `SCHEMA_OPTIONS_INVALID` on a non-finite clock or bound (a caller bug, not bad data). */
export function resolveValidationOptions(options: ValidationOptions | undefined): ResolvedValidationOptions {
  const nowMs = options?.nowMs ?? Date.now();
  const skew = options?.maxFutureSkewMs ?? DEFAULT_MAX_FUTURE_SKEW_MS;
  const minTimestampMs = options?.minTimestampMs ?? MIN_TIMESTAMP_MS;
  for (const [name, value] of [['nowMs', nowMs], ['maxFutureSkewMs', skew], ['minTimestampMs', minTimestampMs]] as const) {
    if (!Number.isFinite(value)) {
      throw new SchemaError('SCHEMA_OPTIONS_INVALID', `ValidationOptions.${name} must be a finite number, got ${value}`);
    }
  }
  return { minTimestampMs, maxTimestampMs: nowMs + skew, unknownFields: options?.unknownFields ?? 'reject' };
}
