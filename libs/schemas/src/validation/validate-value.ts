import type { FieldIssue } from '../errors/schema-validation-error.js';
import type {
  EnumField,
  FieldDef,
  Float64Field,
  Int32Field,
  ListField,
  NumericMapField,
  StringField,
} from '../definition/field.js';
import { hasSurroundingWhitespace, textRuleViolation } from './text-rules.js';
import type { ResolvedValidationOptions } from './validation-options.js';

/** Longest excerpt of an offending value quoted in a reason. */
const PREVIEW_MAX_CHARS = 40;

/** A short description of a value for error reasons: its JSON type and a truncated preview. */
export function describeValue(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return `array(${value.length})`;
  }
  if (typeof value === 'string') {
    const text = JSON.stringify(value.length > PREVIEW_MAX_CHARS ? `${value.slice(0, PREVIEW_MAX_CHARS)}…` : value);
    return `string ${text}`;
  }
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return `${typeof value} ${String(value)}`;
  }
  return typeof value;
}

/** True for `{}`-like objects (plain or null-prototype), false for arrays, dates, maps, class instances. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

type Sink = FieldIssue[];

function typeIssue(issues: Sink, field: string, expected: string, value: unknown): undefined {
  issues.push({ code: 'SCHEMA_FIELD_TYPE', field, reason: `must be ${expected}, got ${describeValue(value)}` });
  return undefined;
}

function rangeIssue(issues: Sink, field: string, reason: string): undefined {
  issues.push({ code: 'SCHEMA_FIELD_RANGE', field, reason });
  return undefined;
}

function checkString(def: StringField, value: unknown, path: string, issues: Sink): string | undefined {
  if (typeof value !== 'string') {
    return typeIssue(issues, path, 'a string', value);
  }
  if (value.length < def.minLength || value.length > def.maxLength) {
    return rangeIssue(issues, path, `must be ${def.minLength}..${def.maxLength} characters long, got ${value.length}`);
  }
  const textProblem = textRuleViolation(value);
  if (textProblem !== undefined) {
    return rangeIssue(issues, path, textProblem);
  }
  if (def.trimmed && hasSurroundingWhitespace(value)) {
    return rangeIssue(issues, path, `must not start or end with whitespace, got ${describeValue(value)}`);
  }
  return value;
}

function checkEnum(def: EnumField, value: unknown, path: string, issues: Sink): string | undefined {
  if (typeof value !== 'string') {
    return typeIssue(issues, path, `one of ${def.values.join(' | ')}`, value);
  }
  if (!def.values.includes(value)) {
    return rangeIssue(issues, path, `must be one of ${def.values.join(' | ')}, got ${describeValue(value)}`);
  }
  return value;
}

function checkNumber(def: Int32Field | Float64Field, value: unknown, path: string, issues: Sink): number | undefined {
  const integer = def.kind === 'int32';
  if (typeof value !== 'number' || Number.isNaN(value)) {
    return typeIssue(issues, path, integer ? 'an integer' : 'a number', value);
  }
  if (!Number.isFinite(value)) {
    return rangeIssue(issues, path, `must be finite, got ${value}`);
  }
  if (integer && !Number.isInteger(value)) {
    return typeIssue(issues, path, 'an integer', value);
  }
  if (value < def.min || value > def.max) {
    return rangeIssue(issues, path, `must be between ${def.min} and ${def.max}, got ${value}`);
  }
  return value;
}

function checkTimestamp(value: unknown, path: string, options: ResolvedValidationOptions, issues: Sink): number | undefined {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    return typeIssue(issues, path, 'an integer timestamp in epoch milliseconds', value);
  }
  if (value < options.minTimestampMs || value > options.maxTimestampMs) {
    const [min, max] = [new Date(options.minTimestampMs).toISOString(), new Date(options.maxTimestampMs).toISOString()];
    return rangeIssue(issues, path, `must be an epoch-ms time between ${min} and ${max}, got ${value}`);
  }
  return value;
}

function checkList(def: ListField, value: unknown, path: string, options: ResolvedValidationOptions, issues: Sink): unknown[] | undefined {
  if (!Array.isArray(value)) {
    return typeIssue(issues, path, 'an array', value);
  }
  if (value.length > def.maxItems) {
    return rangeIssue(issues, path, `must have at most ${def.maxItems} elements, got ${value.length}`);
  }
  const before = issues.length;
  const out = value.map((element: unknown, i) => checkPresent(def.element, element, `${path}[${i}]`, options, issues));
  if (issues.length > before) {
    return undefined;
  }
  if (def.unique) {
    const seen = new Set<unknown>();
    for (const [i, element] of out.entries()) {
      if (seen.has(element)) {
        return rangeIssue(issues, `${path}[${i}]`, `must not repeat an earlier element, got ${describeValue(element)}`);
      }
      seen.add(element);
    }
  }
  return out;
}

function checkNumericMap(def: NumericMapField, value: unknown, path: string, issues: Sink): Record<string, number> | undefined {
  if (!isPlainObject(value)) {
    return typeIssue(issues, path, 'an object of numbers', value);
  }
  const entries = Object.entries(value);
  if (entries.length > def.maxEntries) {
    return rangeIssue(issues, path, `must have at most ${def.maxEntries} entries, got ${entries.length}`);
  }
  const before = issues.length;
  const out: Record<string, number> = {};
  for (const [key, entry] of entries) {
    const checkedKey = checkString(def.key, key, `${path}.${key}`, issues);
    const checkedValue = checkNumber(def.value, entry, `${path}.${key}`, issues);
    if (checkedKey !== undefined && checkedValue !== undefined) {
      Object.defineProperty(out, checkedKey, { value: checkedValue, enumerable: true, writable: true, configurable: true });
    }
  }
  return issues.length > before ? undefined : out;
}

/**
 * Checks a present (non-null, non-undefined) value against a field definition. Returns the
 * value to store (arrays and maps copied, so the record never aliases its input) or undefined
 * after pushing at least one issue.
 */
export function checkPresent(
  def: FieldDef,
  value: unknown,
  path: string,
  options: ResolvedValidationOptions,
  issues: Sink,
): unknown {
  switch (def.kind) {
    case 'string':
      return checkString(def, value, path, issues);
    case 'enum':
      return checkEnum(def, value, path, issues);
    case 'int32':
    case 'float64':
      return checkNumber(def, value, path, issues);
    case 'timestampMs':
      return checkTimestamp(value, path, options, issues);
    case 'list':
      return checkList(def, value, path, options, issues);
    case 'numericMap':
      return checkNumericMap(def, value, path, issues);
  }
}
