import { tableToIPC, type Table } from 'apache-arrow';

import { readSchemaIdentity } from '../versioning/schema-identity.js';
import { unifyDictionaries } from './unify-dictionaries.js';

/**
 * Serialises a table as an Arrow IPC **file** (random access, footer; what the offline store
 * keeps on disk). The table must carry valid `metarec.schema.*` metadata (any table from
 * `recordsToTable` does): `SCHEMA_FINGERPRINT_MISSING` / `SCHEMA_FINGERPRINT_MISMATCH`
 * otherwise, so no file leaves this lib without a verifiable fingerprint. Batches with
 * differing dictionaries are unified first (the file format allows one per column).
 */
export function writeIpcFile(table: Table): Uint8Array {
  readSchemaIdentity(table.schema);
  return tableToIPC(unifyDictionaries(table), 'file');
}

/**
 * Serialises a table as an Arrow IPC **stream** (sequential; for pipes, sockets and messages).
 * Same fingerprint rule as {@link writeIpcFile}; per-batch dictionaries are sent as they are.
 */
export function writeIpcStream(table: Table): Uint8Array {
  readSchemaIdentity(table.schema);
  return tableToIPC(table, 'stream');
}
