import { describe, expect, it } from 'vitest';

import { field } from '../definition/field-builders.js';
import { defineRecordSchema } from '../definition/record-schema.js';
import { InteractionSchema } from '../records/interaction.js';
import { ItemProfileSchema } from '../records/item-profile.js';
import { UserProfileSchema } from '../records/user-profile.js';
import { createDefaultSchemaRegistry, SchemaRegistry } from './schema-registry.js';

describe('SchemaRegistry', () => {
  it('finds the built-in schemas by fingerprint', () => {
    const registry = createDefaultSchemaRegistry();
    for (const schema of [InteractionSchema, UserProfileSchema, ItemProfileSchema]) {
      expect(registry.byFingerprint(schema.fingerprint)).toBe(schema);
    }
    expect(registry.byFingerprint('sha256:0000')).toBeUndefined();
  });

  it('lists versions of a name oldest first', () => {
    const v2 = defineRecordSchema({ name: 'interaction', version: 2, fields: { ...InteractionSchema.fields, referrer: field.label({ nullable: true }) } });
    const registry = new SchemaRegistry([v2, InteractionSchema]);
    expect(registry.versionsOf('interaction').map((s) => s.version)).toEqual([1, 2]);
    expect(registry.versionsOf('nothing')).toEqual([]);
  });

  it('ignores a repeated registration but refuses two definitions for one version', () => {
    const registry = createDefaultSchemaRegistry().register(InteractionSchema);
    expect(registry.versionsOf('interaction')).toHaveLength(1);
    const impostor = defineRecordSchema({ name: 'interaction', version: 1, fields: { user_id: field.id() } });
    expect(() => registry.register(impostor)).toThrow(expect.objectContaining({ code: 'SCHEMA_DEFINITION_INVALID' }));
  });
});
