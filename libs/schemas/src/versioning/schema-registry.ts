import type { RecordSchema } from '../definition/record-schema.js';
import { SchemaDefinitionError } from '../errors/schema-definition-error.js';
import { InteractionSchema } from '../records/interaction.js';
import { ItemProfileSchema } from '../records/item-profile.js';
import { UserProfileSchema } from '../records/user-profile.js';

/** Every schema version this build of metarec knows, oldest first per name. */
export const BUILT_IN_SCHEMAS: readonly RecordSchema[] = [InteractionSchema, UserProfileSchema, ItemProfileSchema];

/**
 * Known schema versions, looked up by fingerprint, so a reader can accept a file written with
 * an older compatible version. Keep every version a deployed writer may still produce.
 */
export class SchemaRegistry {
  private readonly byPrint = new Map<string, RecordSchema>();
  private readonly byName = new Map<string, RecordSchema[]>();

  /** @param schemas initial versions, registered in order (see {@link SchemaRegistry.register}). */
  constructor(schemas: Iterable<RecordSchema> = []) {
    for (const schema of schemas) {
      this.register(schema);
    }
  }

  /**
   * Adds a version. Registering the same definition twice is a no-op; a different definition
   * under an existing name and version throws `SCHEMA_DEFINITION_INVALID` (two meanings for
   * one version number would make files ambiguous).
   */
  register(schema: RecordSchema): this {
    const versions = this.byName.get(schema.name) ?? [];
    const clash = versions.find((s) => s.version === schema.version);
    if (clash !== undefined) {
      if (clash.fingerprint !== schema.fingerprint) {
        throw new SchemaDefinitionError(`${schema.name} v${schema.version} is already registered with fingerprint ${clash.fingerprint}`);
      }
      return this;
    }
    this.byPrint.set(schema.fingerprint, schema);
    this.byName.set(schema.name, [...versions, schema].sort((a, b) => a.version - b.version));
    return this;
  }

  /** The version with this fingerprint, or undefined. */
  byFingerprint(fingerprint: string): RecordSchema | undefined {
    return this.byPrint.get(fingerprint);
  }

  /** Every registered version of `name`, oldest first (empty if none). */
  versionsOf(name: string): readonly RecordSchema[] {
    return this.byName.get(name) ?? [];
  }
}

/** A fresh registry holding {@link BUILT_IN_SCHEMAS}. */
export function createDefaultSchemaRegistry(): SchemaRegistry {
  return new SchemaRegistry(BUILT_IN_SCHEMAS);
}
