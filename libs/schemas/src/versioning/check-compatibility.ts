import { arrowTypeOf } from '../definition/arrow-type.js';
import { canonicalType } from '../definition/canonical-form.js';
import type { FieldDef } from '../definition/field.js';
import type { RecordSchema } from '../definition/record-schema.js';

/** Why a newer schema cannot read data written with an older one. */
export type CompatibilityViolationKind =
  | 'SCHEMA_RENAMED'
  | 'VERSION_NOT_NEWER'
  | 'FIELD_REMOVED'
  | 'FIELD_RETYPED'
  | 'FIELD_MADE_REQUIRED'
  | 'FIELD_ADDED_REQUIRED'
  | 'FIELD_NARROWED';

/** One reason two schema versions are incompatible. */
export interface CompatibilityViolation {
  readonly kind: CompatibilityViolationKind;
  /** The field at fault, `''` for schema-level violations. */
  readonly field: string;
  readonly message: string;
}

function storageType(def: FieldDef): string {
  return canonicalType(arrowTypeOf(def));
}

/** Value rules of `newer` that old data may break although the storage type is unchanged. */
function narrowing(older: FieldDef, newer: FieldDef): string | undefined {
  if (older.kind === 'enum' && newer.kind === 'enum') {
    const removed = older.values.filter((v) => !newer.values.includes(v));
    return removed.length > 0 ? `enum values removed: ${removed.join(', ')}` : undefined;
  }
  if ((older.kind === 'int32' || older.kind === 'float64') && newer.kind === older.kind) {
    return newer.min > older.min || newer.max < older.max
      ? `range narrowed from [${older.min}, ${older.max}] to [${newer.min}, ${newer.max}]`
      : undefined;
  }
  if (older.kind === 'string' && newer.kind === 'string') {
    const tighter = newer.minLength > older.minLength || newer.maxLength < older.maxLength || (newer.trimmed && !older.trimmed);
    return tighter ? 'text rules tightened (length bounds or trimming)' : undefined;
  }
  if (older.kind === 'list' && newer.kind === 'list') {
    if (newer.maxItems < older.maxItems || (newer.unique && !older.unique)) {
      return 'list rules tightened (maxItems or uniqueness)';
    }
    return narrowing(older.element, newer.element);
  }
  if (older.kind === 'numericMap' && newer.kind === 'numericMap') {
    return newer.maxEntries < older.maxEntries ? `maxEntries lowered to ${newer.maxEntries}` : narrowing(older.value, newer.value);
  }
  return undefined;
}

function compareField(name: string, older: FieldDef, newer: FieldDef): CompatibilityViolation[] {
  const [was, is] = [storageType(older), storageType(newer)];
  if (older.kind !== newer.kind || was !== is) {
    return [{ kind: 'FIELD_RETYPED', field: name, message: `field "${name}" changed from ${older.kind} ${was} to ${newer.kind} ${is}` }];
  }
  const violations: CompatibilityViolation[] = [];
  if (older.nullable && !newer.nullable) {
    violations.push({ kind: 'FIELD_MADE_REQUIRED', field: name, message: `field "${name}" was nullable and is now required` });
  }
  const narrowed = narrowing(older, newer);
  if (narrowed !== undefined) {
    violations.push({ kind: 'FIELD_NARROWED', field: name, message: `field "${name}": ${narrowed}` });
  }
  return violations;
}

/**
 * Lists why a reader on `newer` could not read everything written with `older` (empty when it
 * can: backward compatibility, as in Avro). Allowed: adding a nullable field, making a required
 * field nullable, widening bounds, adding enum values, reordering columns. Rejected: a changed
 * schema name, a version not above the old one, removing a field (a rename shows as a removal
 * plus an addition), changing its kind or Arrow storage type (dictionary encoding included),
 * nullable → required, adding a required field, narrowing value rules.
 */
export function checkCompatibility(older: RecordSchema, newer: RecordSchema): CompatibilityViolation[] {
  const violations: CompatibilityViolation[] = [];
  if (older.name !== newer.name) {
    violations.push({ kind: 'SCHEMA_RENAMED', field: '', message: `schema name changed from "${older.name}" to "${newer.name}"` });
  }
  if (newer.version <= older.version && newer.fingerprint !== older.fingerprint) {
    const message = `version ${newer.version} is not above ${older.version} although the fields differ`;
    violations.push({ kind: 'VERSION_NOT_NEWER', field: '', message });
  }
  for (const name of older.fieldNames) {
    if (!Object.hasOwn(newer.fields, name)) {
      violations.push({ kind: 'FIELD_REMOVED', field: name, message: `field "${name}" was removed or renamed` });
      continue;
    }
    violations.push(...compareField(name, older.fields[name], newer.fields[name]));
  }
  for (const name of newer.fieldNames) {
    if (!Object.hasOwn(older.fields, name) && !newer.fields[name].nullable) {
      const message = `field "${name}" was added as required; old data has no value for it (add it as nullable)`;
      violations.push({ kind: 'FIELD_ADDED_REQUIRED', field: name, message });
    }
  }
  return violations;
}
