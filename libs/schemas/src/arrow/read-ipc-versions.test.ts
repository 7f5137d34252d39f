import { describe, expect, it } from 'vitest';

import { field } from '../definition/field-builders.js';
import { defineRecordSchema } from '../definition/record-schema.js';
import { InteractionSchema } from '../records/interaction.js';
import { FIXTURE_NOW_MS, makeInteraction } from '../testing/record-builders.js';
import { SchemaRegistry } from '../versioning/schema-registry.js';
import { readIpc, readIpcRecords } from './read-ipc.js';
import { recordsToTable } from './records-to-table.js';
import { writeIpcFile, writeIpcStream } from './write-ipc.js';

const validation = { nowMs: FIXTURE_NOW_MS };
const InteractionV2 = defineRecordSchema({
  name: 'interaction',
  version: 2,
  fields: { ...InteractionSchema.fields, referrer: field.label({ nullable: true }) },
});

describe('readIpc across schema versions', () => {
  const v1Bytes = writeIpcFile(recordsToTable(InteractionSchema, [makeInteraction()], { validation }));
  const v2Bytes = writeIpcStream(recordsToTable(InteractionV2, [{ ...makeInteraction(), referrer: 'email' }], { validation }));

  it('reads a file of an older registered version, filling the added nullable field with null', () => {
    const registry = new SchemaRegistry([InteractionSchema, InteractionV2]);
    expect(readIpc(v1Bytes, InteractionV2, { registry }).writtenWith).toBe(InteractionSchema);
    const [record] = readIpcRecords(v1Bytes, InteractionV2, { registry, validation });
    expect(record).toMatchObject({ user_id: 'user-1', referrer: null });
  });

  it('refuses a version the reader does not know', () => {
    expect(() => readIpc(v1Bytes, InteractionV2, { registry: new SchemaRegistry() })).toThrow(
      expect.objectContaining({ code: 'SCHEMA_VERSION_UNKNOWN' }),
    );
    expect(() => readIpc(v2Bytes, InteractionSchema)).toThrow(
      expect.objectContaining({ code: 'SCHEMA_VERSION_UNKNOWN', message: expect.stringContaining('interaction v2') as unknown }),
    );
  });

  it('refuses a newer version even when it is registered', () => {
    const registry = new SchemaRegistry([InteractionSchema, InteractionV2]);
    expect(() => readIpc(v2Bytes, InteractionSchema, { registry })).toThrow(expect.objectContaining({ code: 'SCHEMA_INCOMPATIBLE' }));
  });
});
