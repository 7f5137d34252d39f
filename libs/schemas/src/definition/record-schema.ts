import { Schema } from 'apache-arrow';

import { SchemaDefinitionError } from '../errors/schema-definition-error.js';
import type { FieldIssue } from '../errors/schema-validation-error.js';
import { arrowFieldOf } from './arrow-type.js';
import { SCHEMA_METADATA_KEYS, canonicalFields, canonicalForm, fingerprintOf } from './canonical-form.js';
import type { FieldMap, RecordInputOfFields, RecordOfFields } from './field.js';

/** Schema and field names: snake_case ASCII, so they are safe as column names in any engine. */
const NAME_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;

/** What {@link defineRecordSchema} takes. */
export interface RecordSchemaSpec<F extends FieldMap> {
  /** Schema name, snake_case (e.g. `interaction`); stamped into file metadata. */
  readonly name: string;
  /** Positive integer; bump it whenever the fields change (see `checkCompatibility`). */
  readonly version: number;
  /** Column name → definition, in column order. */
  readonly fields: F;
  /**
   * Cross-field rules (e.g. "a rating's value is within 1..5"). Runs only on records whose
   * fields each passed, so it sees a well-typed record; returns the issues found (empty if none).
   */
  check?(record: RecordOfFields<F>): readonly FieldIssue[];
}

/**
 * A record schema: the single definition from which the Arrow schema, the TypeScript type
 * ({@link RecordOf}), the validator, the encoder and the decoder all derive.
 */
export interface RecordSchema<F extends FieldMap = FieldMap> {
  readonly name: string;
  readonly version: number;
  readonly fields: F;
  /** Column names in column order. */
  readonly fieldNames: readonly string[];
  /**
   * The Arrow schema, with `metarec.schema.name`, `metarec.schema.version` and
   * `metarec.schema.fingerprint` in its metadata. Build every table of this schema on it.
   */
  readonly arrowSchema: Schema;
  /** The text the fingerprint hashes (see `canonicalForm`). */
  readonly canonicalForm: string;
  /** `sha256:<hex>` of {@link RecordSchema.canonicalForm}. */
  readonly fingerprint: string;
  check?(record: RecordOfFields<F>): readonly FieldIssue[];
}

/** The validated record type of a schema: every field present, nullable ones `T | null`. */
export type RecordOf<S> = S extends RecordSchema<infer F> ? RecordOfFields<F> : never;

/** The input type of a schema's encoder: like {@link RecordOf} but nullable fields may be omitted. */
export type RecordInput<S> = S extends RecordSchema<infer F> ? RecordInputOfFields<F> : never;

/**
 * Builds a {@link RecordSchema} from a name, a version and a field map. Throws
 * `SCHEMA_DEFINITION_INVALID` (a {@link SchemaDefinitionError}) on a bad name, version or field.
 */
export function defineRecordSchema<const F extends FieldMap>(spec: RecordSchemaSpec<F>): RecordSchema<F> {
  if (!NAME_PATTERN.test(spec.name)) {
    throw new SchemaDefinitionError(`schema name "${spec.name}" must match ${String(NAME_PATTERN)}`);
  }
  if (!Number.isSafeInteger(spec.version) || spec.version < 1) {
    throw new SchemaDefinitionError(`schema "${spec.name}" version must be a positive integer, got ${spec.version}`);
  }
  const fieldNames = Object.keys(spec.fields);
  if (fieldNames.length === 0) {
    throw new SchemaDefinitionError(`schema "${spec.name}" has no fields`);
  }
  for (const name of fieldNames) {
    if (!NAME_PATTERN.test(name)) {
      throw new SchemaDefinitionError(`schema "${spec.name}" field "${name}" must match ${String(NAME_PATTERN)}`);
    }
  }
  const fields = fieldNames.map((name) => arrowFieldOf(name, spec.fields[name]));
  const columns = canonicalFields(new Schema(fields));
  const fingerprint = fingerprintOf(spec.name, spec.version, columns);
  const metadata = new Map([
    [SCHEMA_METADATA_KEYS.name, spec.name],
    [SCHEMA_METADATA_KEYS.version, String(spec.version)],
    [SCHEMA_METADATA_KEYS.fingerprint, fingerprint],
  ]);
  return Object.freeze({
    name: spec.name,
    version: spec.version,
    fields: spec.fields,
    fieldNames: Object.freeze(fieldNames),
    arrowSchema: new Schema(fields, metadata),
    canonicalForm: canonicalForm(spec.name, spec.version, columns),
    fingerprint,
    ...(spec.check === undefined ? {} : { check: spec.check }),
  });
}
