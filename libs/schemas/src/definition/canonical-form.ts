import { createHash } from 'node:crypto';

import { DataType, TimeUnit, type Field, type Schema } from 'apache-arrow';

import { SchemaDefinitionError } from '../errors/schema-definition-error.js';

/** Schema metadata keys stamped on every Arrow schema (and so every IPC file) we write. */
export const SCHEMA_METADATA_KEYS = {
  name: 'metarec.schema.name',
  version: 'metarec.schema.version',
  fingerprint: 'metarec.schema.fingerprint',
} as const;

/** Field metadata key holding an enum field's allowed values (JSON array), so files are self-describing. */
export const ENUM_VALUES_METADATA_KEY = 'metarec.enum.values';

/** Prefix of every fingerprint, so the hash function can change without ambiguity. */
export const FINGERPRINT_PREFIX = 'sha256:';

const TIME_UNIT_NAMES: Record<number, string> = {
  [TimeUnit.SECOND]: 's',
  [TimeUnit.MILLISECOND]: 'ms',
  [TimeUnit.MICROSECOND]: 'us',
  [TimeUnit.NANOSECOND]: 'ns',
};

function canonicalChild(field: Field): string {
  return `${field.name}:${canonicalFieldType(field)}${field.nullable ? '?' : ''}`;
}

/**
 * {@link canonicalType} of a field's type, prefixed by `enum[a|b|c]` when the field carries
 * enum values in its metadata (so adding or removing an enum value changes the fingerprint).
 */
export function canonicalFieldType(field: Field): string {
  const values = field.metadata.get(ENUM_VALUES_METADATA_KEY);
  const type = canonicalType(field.type);
  if (values === undefined) {
    return type;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(values);
  } catch (error) {
    throw new SchemaDefinitionError(`field "${field.name}" has unparsable ${ENUM_VALUES_METADATA_KEY} metadata`, { cause: error });
  }
  if (!Array.isArray(parsed) || !parsed.every((v) => typeof v === 'string')) {
    throw new SchemaDefinitionError(`field "${field.name}" has malformed ${ENUM_VALUES_METADATA_KEY} metadata`);
  }
  return `enum[${parsed.join('|')}]${type}`;
}

/**
 * A stable text form of an Arrow storage type, independent of apache-arrow's `toString` and of
 * dictionary ids: `utf8`, `int32`, `float64`, `timestamp[ms,UTC]`, `dictionary<utf8,int8>`,
 * `list<item:utf8>`, `map<entries:struct<key:utf8,value:float64>>`. A trailing `?` marks a
 * nullable child. Throws `SCHEMA_DEFINITION_INVALID` for types metarec does not use.
 */
export function canonicalType(type: DataType): string {
  if (DataType.isUtf8(type)) {
    return 'utf8';
  }
  if (DataType.isBool(type)) {
    return 'bool';
  }
  if (DataType.isInt(type)) {
    return `${type.isSigned ? 'int' : 'uint'}${type.bitWidth}`;
  }
  if (DataType.isFloat(type)) {
    return `float${16 << type.precision}`;
  }
  if (DataType.isTimestamp(type)) {
    return `timestamp[${TIME_UNIT_NAMES[type.unit] ?? String(type.unit)},${type.timezone ?? ''}]`;
  }
  if (DataType.isDictionary(type)) {
    return `dictionary<${canonicalType(type.dictionary)},${canonicalType(type.indices)}>`;
  }
  if (DataType.isList(type)) {
    return `list<${canonicalChild(type.children[0])}>`;
  }
  if (DataType.isMap(type)) {
    return `map${type.keysSorted ? '[sorted]' : ''}<${canonicalChild(type.children[0])}>`;
  }
  if (DataType.isStruct(type)) {
    return `struct<${type.children.map(canonicalChild).join(',')}>`;
  }
  throw new SchemaDefinitionError(`Arrow type ${String(type)} has no canonical form in metarec schemas`);
}

/** One column in the canonical form. Key order is fixed (alphabetical) so the JSON is stable. */
export interface CanonicalField {
  readonly name: string;
  readonly nullable: boolean;
  readonly type: string;
}

/** The columns of an Arrow schema in canonical form, in column order. */
export function canonicalFields(schema: Schema): CanonicalField[] {
  return schema.fields.map((f) => ({ name: f.name, nullable: f.nullable, type: canonicalFieldType(f) }));
}

/**
 * The canonical form a fingerprint hashes: compact JSON
 * `{"fields":[{"name":…,"nullable":…,"type":…},…],"name":…,"version":…}` with keys in that
 * order and columns in schema order. It covers the storage layout and identity of a schema;
 * value rules (ranges, lengths, enum values) are deliberately outside it, as they do not
 * change what a reader finds in a file.
 */
export function canonicalForm(name: string, version: number, fields: readonly CanonicalField[]): string {
  const columns = fields.map((f) => ({ name: f.name, nullable: f.nullable, type: f.type }));
  return JSON.stringify({ fields: columns, name, version });
}

/** `sha256:<64 hex>` of the canonical form. */
export function fingerprintOf(name: string, version: number, fields: readonly CanonicalField[]): string {
  return FINGERPRINT_PREFIX + createHash('sha256').update(canonicalForm(name, version, fields), 'utf8').digest('hex');
}
