import { describe, expect, it } from 'vitest';

import { InteractionSchema } from '../records/interaction.js';
import { ItemProfileSchema } from '../records/item-profile.js';
import { UserProfileSchema } from '../records/user-profile.js';
import { field } from './field-builders.js';
import type { FieldMap } from './field.js';
import { defineRecordSchema, type RecordSchemaSpec } from './record-schema.js';

describe('defineRecordSchema', () => {
  // Pinned on purpose: if one of these changes, the stored layout changed, and the schema
  // needs a new version (plus checkCompatibility against the old one), not a new pin.
  it('keeps the v1 fingerprints of the built-in schemas', () => {
    expect(InteractionSchema.canonicalForm).toBe(
      '{"fields":[' +
        '{"name":"user_id","nullable":false,"type":"dictionary<utf8,int32>"},' +
        '{"name":"item_id","nullable":false,"type":"dictionary<utf8,int32>"},' +
        '{"name":"event_type","nullable":false,"type":"enum[view|click|rating|purchase]dictionary<utf8,int8>"},' +
        '{"name":"value","nullable":true,"type":"float64"},' +
        '{"name":"timestamp_ms","nullable":false,"type":"timestamp[ms,UTC]"},' +
        '{"name":"session_id","nullable":true,"type":"utf8"},' +
        '{"name":"device","nullable":true,"type":"dictionary<utf8,int32>"}' +
        '],"name":"interaction","version":1}',
    );
    expect({
      interaction: InteractionSchema.fingerprint,
      user_profile: UserProfileSchema.fingerprint,
      item_profile: ItemProfileSchema.fingerprint,
    }).toMatchInlineSnapshot(`
      {
        "interaction": "sha256:530daa20ed871dd2acb364e5795975046b675d0aaa3496e8d6d000e67eb2f1cb",
        "item_profile": "sha256:2f174e5823602cdb51d39af96d925429156b22675f461c47199a27a2c07fc76a",
        "user_profile": "sha256:d795751e7a2eb0623f02276e2043101e74b1705aa291dbfb7c260000e8338484",
      }
    `);
  });

  it('stamps name, version and fingerprint into the Arrow schema metadata', () => {
    expect(Object.fromEntries(ItemProfileSchema.arrowSchema.metadata)).toEqual({
      'metarec.schema.name': 'item_profile',
      'metarec.schema.version': '1',
      'metarec.schema.fingerprint': ItemProfileSchema.fingerprint,
    });
    expect(ItemProfileSchema.fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('gives the same fields the same fingerprint and any change a different one', () => {
    const base = { name: 'thing', version: 1, fields: { id: field.id(), score: field.float64({ nullable: true }) } };
    const print = defineRecordSchema(base).fingerprint;
    expect(defineRecordSchema(base).fingerprint).toBe(print);
    const variants: RecordSchemaSpec<FieldMap>[] = [
      { ...base, version: 2 },
      { ...base, name: 'other' },
      { ...base, fields: { score: base.fields.score, id: base.fields.id } },
      { ...base, fields: { ...base.fields, score: field.float64() } },
      { ...base, fields: { ...base.fields, id: field.id({ dictionary: true }) } },
      { ...base, fields: { ...base.fields, extra: field.int32({ nullable: true }) } },
    ];
    for (const variant of variants) {
      expect(defineRecordSchema(variant).fingerprint).not.toBe(print);
    }
  });

  it('does not let value rules change the fingerprint', () => {
    const loose = defineRecordSchema({ name: 'thing', version: 1, fields: { n: field.float64({ min: 0 }) } });
    const strict = defineRecordSchema({ name: 'thing', version: 1, fields: { n: field.float64({ min: 1, max: 2 }) } });
    expect(strict.fingerprint).toBe(loose.fingerprint);
  });

  it('refuses bad names, versions and field options', () => {
    const bad = [
      () => defineRecordSchema({ name: 'Interaction', version: 1, fields: { id: field.id() } }),
      () => defineRecordSchema({ name: 'x', version: 0, fields: { id: field.id() } }),
      () => defineRecordSchema({ name: 'x', version: 1.5, fields: { id: field.id() } }),
      () => defineRecordSchema({ name: 'x', version: 1, fields: {} }),
      () => defineRecordSchema({ name: 'x', version: 1, fields: { 'user-id': field.id() } }),
      () => field.enumOf([]),
      () => field.enumOf(['a', 'a']),
      () => field.int32({ min: 2, max: 1 }),
      () => field.int32({ max: 2 ** 31 }),
      () => field.string({ minLength: 5, maxLength: 4 }),
    ];
    for (const attempt of bad) {
      expect(attempt).toThrow(expect.objectContaining({ code: 'SCHEMA_DEFINITION_INVALID' }));
    }
  });
});
