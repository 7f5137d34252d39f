import type { FieldMap, RecordOfFields } from '../definition/field.js';
import type { RecordSchema } from '../definition/record-schema.js';
import { SchemaValidationError, type FieldIssue } from '../errors/schema-validation-error.js';
import { checkPresent, describeValue, isPlainObject } from './validate-value.js';
import { resolveValidationOptions, type ResolvedValidationOptions, type ValidationOptions } from './validation-options.js';

/** The outcome of validating one unknown value: a typed record, or an error naming the field. */
export type ValidationResult<T> =
  | { readonly ok: true; readonly record: T }
  | { readonly ok: false; readonly error: SchemaValidationError };

/**
 * Collects every issue of `input` against `schema` (declared fields in column order, then
 * unknown keys, then the schema's cross-field check if all fields passed) and builds the
 * record: keys in column order, absent nullable fields set to `null`, unknown keys dropped
 * under `unknownFields: 'strip'`. Never throws on bad data.
 */
export function collectIssues<F extends FieldMap>(
  schema: RecordSchema<F>,
  input: unknown,
  options: ResolvedValidationOptions,
): { record: RecordOfFields<F> | undefined; issues: FieldIssue[] } {
  if (!isPlainObject(input)) {
    const reason = `must be a JSON object, got ${describeValue(input)}`;
    return { record: undefined, issues: [{ code: 'SCHEMA_RECORD_TYPE', field: '', reason }] };
  }
  const issues: FieldIssue[] = [];
  const out: Record<string, unknown> = {};
  for (const name of schema.fieldNames) {
    const def = schema.fields[name];
    const value = Object.hasOwn(input, name) ? input[name] : undefined;
    if (value === undefined || value === null) {
      if (!def.nullable) {
        issues.push({ code: 'SCHEMA_FIELD_MISSING', field: name, reason: `is required, got ${value === null ? 'null' : 'nothing'}` });
      }
      out[name] = null;
      continue;
    }
    out[name] = checkPresent(def, value, name, options, issues);
  }
  if (options.unknownFields === 'reject') {
    for (const key of Object.keys(input)) {
      if (!Object.hasOwn(schema.fields, key)) {
        issues.push({ code: 'SCHEMA_UNKNOWN_FIELD', field: key, reason: `is not a field of ${schema.name} v${schema.version}` });
      }
    }
  }
  if (issues.length > 0) {
    return { record: undefined, issues };
  }
  const record = out as RecordOfFields<F>;
  const crossFieldIssues = schema.check?.(record) ?? [];
  return crossFieldIssues.length > 0 ? { record: undefined, issues: [...crossFieldIssues] } : { record, issues };
}

/**
 * Turns an unknown value (parsed JSON, a Kafka payload) into a typed record of `schema`, or a
 * {@link SchemaValidationError} whose `code` is `SCHEMA_RECORD_TYPE`, `SCHEMA_FIELD_MISSING`,
 * `SCHEMA_FIELD_TYPE`, `SCHEMA_FIELD_RANGE` or `SCHEMA_UNKNOWN_FIELD` and whose `field` names
 * the first offending field. Strict: no coercion (`"5"` is not a number), NaN/±Infinity
 * rejected, timestamps bounded by the clock in `options`. Throws only for invalid options
 * (`SCHEMA_OPTIONS_INVALID`).
 */
export function validateRecord<F extends FieldMap>(
  schema: RecordSchema<F>,
  input: unknown,
  options?: ValidationOptions,
): ValidationResult<RecordOfFields<F>> {
  const { record, issues } = collectIssues(schema, input, resolveValidationOptions(options));
  if (record === undefined) {
    return { ok: false, error: new SchemaValidationError(schema.name, issues) };
  }
  return { ok: true, record };
}

/** Like {@link validateRecord} but returns the record or throws the {@link SchemaValidationError}. */
export function parseRecord<F extends FieldMap>(
  schema: RecordSchema<F>,
  input: unknown,
  options?: ValidationOptions,
): RecordOfFields<F> {
  const result = validateRecord(schema, input, options);
  if (!result.ok) {
    throw result.error;
  }
  return result.record;
}
