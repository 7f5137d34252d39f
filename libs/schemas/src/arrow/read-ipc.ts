import { tableFromIPC, type Table } from 'apache-arrow';

import type { FieldMap, RecordOfFields } from '../definition/field.js';
import type { RecordSchema } from '../definition/record-schema.js';
import { SchemaFileError } from '../errors/schema-file-error.js';
import { checkCompatibility } from '../versioning/check-compatibility.js';
import { readSchemaIdentity } from '../versioning/schema-identity.js';
import { createDefaultSchemaRegistry, type SchemaRegistry } from '../versioning/schema-registry.js';
import { tableToRecords, type TableToRecordsOptions } from './table-to-records.js';

/** Options of {@link readIpc}. */
export interface ReadIpcOptions {
  /**
   * Versions a file may have been written with besides `expected` itself.
   * @defaultValue a registry of the built-in schemas (`createDefaultSchemaRegistry()`)
   */
  readonly registry?: SchemaRegistry;
}

/** A table read from IPC bytes, with the schema version it was written with. */
export interface IpcReadResult {
  readonly table: Table;
  /** `expected` itself, or the older compatible version found in the registry. */
  readonly writtenWith: RecordSchema;
}

function parseIpc(bytes: Uint8Array): Table {
  if (bytes.byteLength === 0) {
    throw new SchemaFileError('SCHEMA_IPC_INVALID', 'IPC payload is empty');
  }
  try {
    return tableFromIPC(bytes);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new SchemaFileError('SCHEMA_IPC_INVALID', `bytes are not an Arrow IPC file or stream: ${reason}`, { cause: error });
  }
}

/**
 * Reads an Arrow IPC file or stream and checks that it holds `expected` data: the schema
 * metadata must carry a fingerprint that matches the file's columns, and that fingerprint must
 * be `expected`'s or that of a registered version `expected` can read
 * (`checkCompatibility(writtenWith, expected)` empty). Throws a `SchemaFileError`:
 * `SCHEMA_IPC_INVALID` (unreadable bytes), `SCHEMA_FINGERPRINT_MISSING`,
 * `SCHEMA_FINGERPRINT_MISMATCH` (metadata does not match columns), `SCHEMA_VERSION_UNKNOWN`
 * (fingerprint of no registered version), `SCHEMA_INCOMPATIBLE` (other schema, or a version
 * `expected` cannot read, e.g. a newer one).
 */
export function readIpc<F extends FieldMap>(bytes: Uint8Array, expected: RecordSchema<F>, options: ReadIpcOptions = {}): IpcReadResult {
  const table = parseIpc(bytes);
  const identity = readSchemaIdentity(table.schema);
  if (identity.fingerprint === expected.fingerprint) {
    return { table, writtenWith: expected };
  }
  const registry = options.registry ?? createDefaultSchemaRegistry();
  const writtenWith = registry.byFingerprint(identity.fingerprint);
  if (writtenWith === undefined) {
    const known = registry.versionsOf(identity.name).map((s) => `v${s.version}`).join(', ') || 'none';
    throw new SchemaFileError(
      'SCHEMA_VERSION_UNKNOWN',
      `file holds ${identity.name} v${identity.version} (${identity.fingerprint}), a version this reader does not know (known: ${known})`,
    );
  }
  const violations = checkCompatibility(writtenWith, expected);
  if (violations.length > 0) {
    const reasons = violations.map((v) => v.message).join('; ');
    throw new SchemaFileError(
      'SCHEMA_INCOMPATIBLE',
      `file holds ${writtenWith.name} v${writtenWith.version}, which ${expected.name} v${expected.version} cannot read: ${reasons}`,
      { field: violations[0].field || undefined },
    );
  }
  return { table, writtenWith };
}

/** {@link readIpc} then `tableToRecords(expected, table, options)`: the typed records of a file. */
export function readIpcRecords<F extends FieldMap>(
  bytes: Uint8Array,
  expected: RecordSchema<F>,
  options: ReadIpcOptions & TableToRecordsOptions = {},
): RecordOfFields<F>[] {
  return tableToRecords(expected, readIpc(bytes, expected, options).table, options);
}
