import { RecordBatch, Struct, Table, makeBuilder, makeData, type Data, type DataType } from 'apache-arrow';

import type { FieldDef, FieldMap, RecordInputOfFields } from '../definition/field.js';
import type { RecordSchema } from '../definition/record-schema.js';
import { SchemaError } from '../errors/schema-error.js';
import { SchemaValidationError } from '../errors/schema-validation-error.js';
import { collectIssues } from '../validation/validate-record.js';
import { resolveValidationOptions, type ValidationOptions } from '../validation/validation-options.js';

/** Rows per record batch: big enough to amortise per-batch overhead, small enough to stream. */
export const DEFAULT_MAX_BATCH_ROWS = 65_536;

/** Options of {@link recordsToTable}. */
export interface RecordsToTableOptions {
  /**
   * Validate every record first (a table is about to be stored; typed records can still carry
   * NaN, a rating of 7 or a seconds timestamp). Turn off only for records that just came out of
   * a validator. @defaultValue true
   */
  readonly validate?: boolean;
  /** Clock and rules for that validation. @defaultValue `{}` (see `ValidationOptions`) */
  readonly validation?: ValidationOptions;
  /** Rows per record batch. @defaultValue {@link DEFAULT_MAX_BATCH_ROWS} */
  readonly maxBatchRows?: number;
}

/** Converts one record value to what the apache-arrow builder for that field expects. */
function toBuilderValue(def: FieldDef, value: unknown): unknown {
  if (value === undefined || value === null) {
    return null;
  }
  if (def.kind === 'numericMap') {
    return new Map(Object.entries(value as Record<string, number>));
  }
  return value;
}

function buildColumn(type: DataType, def: FieldDef, name: string, records: readonly Readonly<Record<string, unknown>>[]): Data {
  const builder = makeBuilder({ type, nullValues: [null] });
  for (const record of records) {
    builder.append(toBuilderValue(def, record[name]));
  }
  return builder.finish().flush();
}

function validateAll<F extends FieldMap>(schema: RecordSchema<F>, records: readonly unknown[], options: RecordsToTableOptions): void {
  const resolved = resolveValidationOptions(options.validation);
  for (const [row, record] of records.entries()) {
    const { issues } = collectIssues(schema, record, resolved);
    if (issues.length > 0) {
      throw new SchemaValidationError(schema.name, issues, row);
    }
  }
}

/**
 * Encodes records as an Arrow table on `schema.arrowSchema` (so it carries the schema's name,
 * version and fingerprint in its metadata). Columns get the types of `arrowTypeOf`: ids and
 * labels dictionary-encoded, timestamps `Timestamp<MILLISECOND, UTC>`, categories as lists,
 * absent nullable fields as nulls. Every batch shares one dictionary per column, so the table
 * can be written as an IPC file as is. Throws a `SchemaValidationError` (with `row`) on the
 * first invalid record unless `validate` is false, `SCHEMA_OPTIONS_INVALID` on a bad `maxBatchRows`.
 */
export function recordsToTable<F extends FieldMap>(
  schema: RecordSchema<F>,
  records: readonly RecordInputOfFields<F>[],
  options: RecordsToTableOptions = {},
): Table {
  const maxBatchRows = options.maxBatchRows ?? DEFAULT_MAX_BATCH_ROWS;
  if (!Number.isSafeInteger(maxBatchRows) || maxBatchRows < 1) {
    throw new SchemaError('SCHEMA_OPTIONS_INVALID', `RecordsToTableOptions.maxBatchRows must be a positive integer, got ${maxBatchRows}`);
  }
  if (options.validate ?? true) {
    validateAll(schema, records, options);
  }
  const rows = records as readonly Readonly<Record<string, unknown>>[];
  const arrowFields = schema.arrowSchema.fields;
  const children = arrowFields.map((f) => buildColumn(f.type, schema.fields[f.name], f.name, rows));
  const whole = new RecordBatch(
    schema.arrowSchema,
    makeData({ type: new Struct(arrowFields), length: rows.length, nullCount: 0, children }),
  );
  if (rows.length === 0) {
    return new Table(schema.arrowSchema);
  }
  const batches: RecordBatch[] = [];
  for (let start = 0; start < rows.length; start += maxBatchRows) {
    batches.push(whole.slice(start, Math.min(start + maxBatchRows, rows.length)));
  }
  return new Table(batches);
}
