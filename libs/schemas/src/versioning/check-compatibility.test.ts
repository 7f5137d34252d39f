import { describe, expect, it } from 'vitest';

import { field } from '../definition/field-builders.js';
import type { FieldMap } from '../definition/field.js';
import { defineRecordSchema, type RecordSchema } from '../definition/record-schema.js';
import { InteractionSchema } from '../records/interaction.js';
import { checkCompatibility } from './check-compatibility.js';

function nextVersion(fields: FieldMap, base: RecordSchema = InteractionSchema): RecordSchema {
  return defineRecordSchema({ name: base.name, version: base.version + 1, fields });
}

function kinds(older: RecordSchema, newer: RecordSchema): string[] {
  return checkCompatibility(older, newer).map((v) => `${v.kind}:${v.field}`);
}

const { device: _device, ...withoutDevice } = InteractionSchema.fields;

describe('checkCompatibility', () => {
  it('accepts the same schema and adding a nullable field', () => {
    expect(kinds(InteractionSchema, InteractionSchema)).toEqual([]);
    expect(kinds(InteractionSchema, nextVersion({ ...InteractionSchema.fields, referrer: field.label({ nullable: true }) }))).toEqual([]);
  });

  it('accepts widening: required → nullable, wider bounds, more enum values', () => {
    const widened = nextVersion({
      ...InteractionSchema.fields,
      item_id: field.id({ dictionary: true, nullable: true }),
      value: field.float64({ nullable: true, min: -1 }),
      event_type: field.enumOf(['view', 'click', 'rating', 'purchase', 'add_to_cart']),
    });
    expect(kinds(InteractionSchema, widened)).toEqual([]);
  });

  it('rejects removing a field', () => {
    expect(kinds(InteractionSchema, nextVersion(withoutDevice))).toEqual(['FIELD_REMOVED:device']);
  });

  it('rejects renaming a field as a removal plus a required addition', () => {
    const { user_id, ...rest } = InteractionSchema.fields;
    expect(kinds(InteractionSchema, nextVersion({ ...rest, uid: user_id }))).toEqual(['FIELD_REMOVED:user_id', 'FIELD_ADDED_REQUIRED:uid']);
  });

  it('rejects retyping, including a change of dictionary encoding', () => {
    expect(kinds(InteractionSchema, nextVersion({ ...InteractionSchema.fields, value: field.int32({ nullable: true }) }))).toEqual([
      'FIELD_RETYPED:value',
    ]);
    expect(kinds(InteractionSchema, nextVersion({ ...InteractionSchema.fields, user_id: field.id() }))).toEqual(['FIELD_RETYPED:user_id']);
  });

  it('rejects making a nullable field required and adding a required field', () => {
    expect(kinds(InteractionSchema, nextVersion({ ...InteractionSchema.fields, device: field.label() }))).toEqual([
      'FIELD_MADE_REQUIRED:device',
    ]);
    expect(kinds(InteractionSchema, nextVersion({ ...InteractionSchema.fields, country: field.label() }))).toEqual([
      'FIELD_ADDED_REQUIRED:country',
    ]);
  });

  it('rejects narrowing value rules old data may break', () => {
    const narrowed = nextVersion({
      ...InteractionSchema.fields,
      event_type: field.enumOf(['view', 'click', 'rating']),
      value: field.float64({ nullable: true, min: 0, max: 100 }),
    });
    expect(kinds(InteractionSchema, narrowed)).toEqual(['FIELD_NARROWED:event_type', 'FIELD_NARROWED:value']);
  });

  it('rejects a different schema name and a version that does not increase', () => {
    const renamed = defineRecordSchema({ name: 'event', version: 2, fields: InteractionSchema.fields });
    expect(kinds(InteractionSchema, renamed)).toEqual(['SCHEMA_RENAMED:']);
    const sameVersion = defineRecordSchema({ name: 'interaction', version: 1, fields: withoutDevice });
    expect(kinds(InteractionSchema, sameVersion)).toEqual(['VERSION_NOT_NEWER:', 'FIELD_REMOVED:device']);
  });

  it('is not symmetric: an older reader cannot read a newer version', () => {
    const v2 = nextVersion({ ...InteractionSchema.fields, referrer: field.label({ nullable: true }) });
    expect(kinds(v2, InteractionSchema)).toEqual(['VERSION_NOT_NEWER:', 'FIELD_REMOVED:referrer']);
  });
});
