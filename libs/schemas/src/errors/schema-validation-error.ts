import { SchemaError } from './schema-error.js';

/** The codes a single field (or the record as a whole) can fail with. */
export type FieldIssueCode =
  | 'SCHEMA_RECORD_TYPE'
  | 'SCHEMA_FIELD_MISSING'
  | 'SCHEMA_FIELD_TYPE'
  | 'SCHEMA_FIELD_RANGE'
  | 'SCHEMA_UNKNOWN_FIELD';

/** One problem with one field of one record. */
export interface FieldIssue {
  readonly code: FieldIssueCode;
  /**
   * Path of the offending value: a field name (`value`), an element (`categories[2]`), a map
   * entry (`numeric_attributes.runtime_min`), or `''` for the record itself.
   */
  readonly field: string;
  /** Human-readable reason, e.g. `must be between 1 and 5 when event_type is "rating", got 7`. */
  readonly reason: string;
}

/**
 * A record failed validation. `code` and `field` are those of the first issue (fields are
 * checked in schema declaration order, then unknown keys, then cross-field rules); `issues`
 * lists every problem found, so an HTTP 400 can report them all.
 */
export class SchemaValidationError extends SchemaError {
  override readonly name = 'SchemaValidationError';
  declare readonly code: FieldIssueCode;
  /** Path of the first offending field (see {@link FieldIssue.field}). */
  readonly field: string;
  /** Every issue found, first one first; never empty. */
  readonly issues: readonly FieldIssue[];
  /** Name of the schema validated against, e.g. `interaction`. */
  readonly schemaName: string;
  /** Row index when the record came from a table or a batch, otherwise undefined. */
  readonly row: number | undefined;

  constructor(schemaName: string, issues: readonly FieldIssue[], row?: number) {
    const first = issues[0];
    if (first === undefined) {
      throw new RangeError('SchemaValidationError needs at least one issue');
    }
    const where = row === undefined ? '' : ` (row ${row})`;
    const subject = first.field === '' ? 'record' : `field "${first.field}"`;
    const more = issues.length > 1 ? ` (+${issues.length - 1} more issue${issues.length > 2 ? 's' : ''})` : '';
    super(first.code, `${schemaName}${where}: ${subject} ${first.reason}${more}`);
    this.field = first.field;
    this.issues = issues;
    this.schemaName = schemaName;
    this.row = row;
  }
}
