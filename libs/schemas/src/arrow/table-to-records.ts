import { Vector, type Data, type Field, type Table } from 'apache-arrow';

import { arrowTypeOf } from '../definition/arrow-type.js';
import { canonicalType } from '../definition/canonical-form.js';
import type { FieldDef, FieldMap, RecordOfFields } from '../definition/field.js';
import type { RecordSchema } from '../definition/record-schema.js';
import { SchemaFileError } from '../errors/schema-file-error.js';
import { SchemaValidationError } from '../errors/schema-validation-error.js';
import { collectIssues } from '../validation/validate-record.js';
import { resolveValidationOptions, type ValidationOptions } from '../validation/validation-options.js';
import { isSafeBigInt } from './bigint.js';

/** Options of {@link tableToRecords}. */
export interface TableToRecordsOptions {
  /**
   * Validate every decoded record (a file may come from another writer or an older rule set).
   * @defaultValue true
   */
  readonly validate?: boolean;
  /** Clock and rules for that validation. @defaultValue `{}` (see `ValidationOptions`) */
  readonly validation?: ValidationOptions;
}

/** Appends the decoded values of one chunk; `firstRow` is the chunk's first row in the table. */
type ChunkDecoder = (chunk: Data, firstRow: number, out: unknown[]) => void;

function checkColumnType(schemaName: string, name: string, def: FieldDef, actual: Field): void {
  const want = canonicalType(arrowTypeOf(def));
  const got = canonicalType(actual.type);
  if (want !== got) {
    throw new SchemaFileError('SCHEMA_COLUMN_TYPE', `${schemaName}: column "${name}" is ${got}, expected ${want}`, { field: name });
  }
}

/** int64 timestamps straight from the BigInt64Array, each converted once with a safe-integer check. */
function timestampDecoder(schemaName: string, name: string): ChunkDecoder {
  return (chunk, firstRow, out) => {
    const values = chunk.values as unknown;
    if (!(values instanceof BigInt64Array)) {
      throw new SchemaFileError('SCHEMA_COLUMN_TYPE', `${schemaName}: column "${name}" has no int64 storage`, { field: name });
    }
    for (let i = 0; i < chunk.length; i += 1) {
      if (!chunk.getValid(i)) {
        out.push(null);
        continue;
      }
      const value = values[i];
      if (!isSafeBigInt(value)) {
        const reason = `int64 value ${value} is not a safe JavaScript integer`;
        throw new SchemaValidationError(schemaName, [{ code: 'SCHEMA_FIELD_RANGE', field: name, reason }], firstRow + i);
      }
      out.push(Number(value));
    }
  };
}

/**
 * Dictionary strings decoded once per dictionary, then looked up by index. Not apache-arrow's
 * `Vector.memoize()`: in 21.x it gives every chunk the first chunk's dictionary, which decodes
 * wrong values for tables whose batches carry different dictionaries (IPC streams).
 */
function dictionaryDecoder(): ChunkDecoder {
  const decoded = new Map<unknown, unknown[]>();
  return (chunk, _firstRow, out) => {
    const dictionary = chunk.dictionary as Vector;
    let strings = decoded.get(dictionary);
    if (strings === undefined) {
      strings = [...(dictionary as Iterable<unknown>)];
      decoded.set(dictionary, strings);
    }
    const indices = chunk.values as ArrayLike<number>;
    for (let i = 0; i < chunk.length; i += 1) {
      out.push(chunk.getValid(i) ? strings[indices[i]] : null);
    }
  };
}

function toPlainValue(def: FieldDef, value: unknown): unknown {
  if (value === null || value === undefined) {
    return null;
  }
  if (def.kind === 'list') {
    return [...(value as Iterable<unknown>)];
  }
  if (def.kind === 'numericMap') {
    const out: Record<string, number> = {};
    for (const [key, entry] of value as Iterable<[string, number]>) {
      Object.defineProperty(out, key, { value: entry, enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value;
}

function genericDecoder(def: FieldDef): ChunkDecoder {
  return (chunk, _firstRow, out) => {
    for (const value of new Vector([chunk]) as Iterable<unknown>) {
      out.push(toPlainValue(def, value));
    }
  };
}

function decoderFor(schemaName: string, name: string, def: FieldDef): ChunkDecoder {
  if (def.kind === 'timestampMs') {
    return timestampDecoder(schemaName, name);
  }
  if (def.kind === 'enum' || (def.kind === 'string' && def.dictionary)) {
    return dictionaryDecoder();
  }
  return genericDecoder(def);
}

function decodeColumn(schemaName: string, name: string, def: FieldDef, table: Table): unknown[] {
  const index = table.schema.fields.findIndex((f) => f.name === name);
  if (index < 0) {
    if (def.nullable) {
      return new Array<null>(table.numRows).fill(null);
    }
    throw new SchemaFileError('SCHEMA_COLUMN_MISSING', `${schemaName}: required column "${name}" is missing`, { field: name });
  }
  checkColumnType(schemaName, name, def, table.schema.fields[index]);
  const decode = decoderFor(schemaName, name, def);
  const out: unknown[] = [];
  for (const batch of table.batches) {
    decode(batch.data.children[index], out.length, out);
  }
  return out;
}

/**
 * Decodes an Arrow table into records of `schema`: columns matched by name (extra columns
 * ignored; a missing nullable column reads as null), dictionaries decoded to strings, lists to
 * arrays, maps to objects, int64 timestamps converted once from `bigint` with a safe-integer
 * check. Throws `SCHEMA_COLUMN_MISSING` / `SCHEMA_COLUMN_TYPE` (a `SchemaFileError`) when the
 * table does not fit the schema, and a `SchemaValidationError` with `row` for an invalid value.
 * It does not check the fingerprint: use `readIpc` for bytes from elsewhere.
 */
export function tableToRecords<F extends FieldMap>(
  schema: RecordSchema<F>,
  table: Table,
  options: TableToRecordsOptions = {},
): RecordOfFields<F>[] {
  const names = schema.fieldNames;
  const columns = names.map((name) => decodeColumn(schema.name, name, schema.fields[name], table));
  const validate = options.validate ?? true;
  const resolved = resolveValidationOptions(options.validation);
  const records = new Array<RecordOfFields<F>>(table.numRows);
  for (let row = 0; row < table.numRows; row += 1) {
    const record: Record<string, unknown> = {};
    for (let c = 0; c < names.length; c += 1) {
      record[names[c]] = columns[c][row];
    }
    if (validate) {
      const { issues } = collectIssues(schema, record, resolved);
      if (issues.length > 0) {
        throw new SchemaValidationError(schema.name, issues, row);
      }
    }
    records[row] = record as RecordOfFields<F>;
  }
  return records;
}
