import type { Schema } from 'apache-arrow';

import { SCHEMA_METADATA_KEYS, canonicalFields, fingerprintOf } from '../definition/canonical-form.js';
import { SchemaError } from '../errors/schema-error.js';
import { SchemaFileError } from '../errors/schema-file-error.js';

/** What an Arrow schema says about itself in its `metarec.schema.*` metadata, verified. */
export interface SchemaIdentity {
  readonly name: string;
  readonly version: number;
  /** The declared fingerprint, which equals the hash of the schema's own columns. */
  readonly fingerprint: string;
}

/**
 * Reads `metarec.schema.name`, `.version` and `.fingerprint` from an Arrow schema and checks
 * that the fingerprint matches the schema's actual columns (recomputed from its fields), so a
 * file whose metadata lies about its contents is caught. Throws a `SchemaFileError`:
 * `SCHEMA_FINGERPRINT_MISSING` when any of the three is absent or malformed,
 * `SCHEMA_FINGERPRINT_MISMATCH` when the columns hash to something else.
 */
export function readSchemaIdentity(schema: Schema): SchemaIdentity {
  const name = schema.metadata.get(SCHEMA_METADATA_KEYS.name);
  const versionText = schema.metadata.get(SCHEMA_METADATA_KEYS.version);
  const fingerprint = schema.metadata.get(SCHEMA_METADATA_KEYS.fingerprint);
  if (name === undefined || versionText === undefined || fingerprint === undefined) {
    const keys = Object.values(SCHEMA_METADATA_KEYS).join(', ');
    throw new SchemaFileError('SCHEMA_FINGERPRINT_MISSING', `Arrow schema metadata lacks one of ${keys}; it was not written by @metarec/schemas`);
  }
  const version = Number(versionText);
  if (!/^[1-9][0-9]*$/.test(versionText) || !Number.isSafeInteger(version)) {
    throw new SchemaFileError('SCHEMA_FINGERPRINT_MISSING', `Arrow schema metadata has a malformed version "${versionText}"`);
  }
  let actual: string;
  try {
    actual = fingerprintOf(name, version, canonicalFields(schema));
  } catch (error) {
    const reason = error instanceof SchemaError ? error.message : String(error);
    throw new SchemaFileError('SCHEMA_FINGERPRINT_MISMATCH', `columns of ${name} v${version} cannot be fingerprinted: ${reason}`, { cause: error });
  }
  if (actual !== fingerprint) {
    throw new SchemaFileError(
      'SCHEMA_FINGERPRINT_MISMATCH',
      `${name} v${version} declares fingerprint ${fingerprint} but its columns hash to ${actual}`,
    );
  }
  return { name, version, fingerprint };
}
