import { SchemaError } from '../errors/schema-error.js';

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);

/** True when `value` converts to a JS number without losing precision (|v| ≤ 2^53 − 1). */
export function isSafeBigInt(value: bigint): boolean {
  return value <= MAX_SAFE && value >= MIN_SAFE;
}

/**
 * Arrow hands int64 and timestamp storage to JavaScript as `bigint`. metarec records use plain
 * numbers (epoch ms fit easily: 2^53 ms is ~285,000 years), so every int64 is converted here,
 * once, and only when it is a safe integer (|v| ≤ 2^53 − 1): beyond that `Number(v)` would lose
 * precision silently, so the value is refused with `SCHEMA_FIELD_RANGE` naming `field` instead.
 */
export function bigIntToSafeNumber(value: bigint, field: string): number {
  if (!isSafeBigInt(value)) {
    throw new SchemaError('SCHEMA_FIELD_RANGE', `field "${field}": int64 value ${value} is not a safe JavaScript integer`);
  }
  return Number(value);
}
