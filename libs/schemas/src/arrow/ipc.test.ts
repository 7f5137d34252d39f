import { Schema, Table, tableToIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';

import type { FieldMap, RecordInputOfFields } from '../definition/field.js';
import type { RecordSchema } from '../definition/record-schema.js';
import { InteractionSchema } from '../records/interaction.js';
import { ItemProfileSchema } from '../records/item-profile.js';
import { UserProfileSchema } from '../records/user-profile.js';
import { FIXTURE_NOW_MS, makeInteraction, makeItemProfile, makeUserProfile } from '../testing/record-builders.js';
import { parseRecord } from '../validation/validate-record.js';
import { readIpc, readIpcRecords } from './read-ipc.js';
import { recordsToTable } from './records-to-table.js';
import { tableToRecords } from './table-to-records.js';
import { writeIpcFile, writeIpcStream } from './write-ipc.js';

const validation = { nowMs: FIXTURE_NOW_MS };
const writers = { file: writeIpcFile, stream: writeIpcStream } as const;

const interactions = [
  makeInteraction(),
  makeInteraction({ user_id: 'user-2', event_type: 'view', value: undefined, session_id: undefined, device: undefined }),
  makeInteraction({ event_type: 'purchase', value: 19.99, timestamp_ms: FIXTURE_NOW_MS }),
];

describe.each(Object.entries(writers))('IPC %s format', (_format, write) => {
  function roundTrip<F extends FieldMap>(schema: RecordSchema<F>, records: readonly RecordInputOfFields<F>[]): void {
    const table = recordsToTable(schema, records, { validation, maxBatchRows: 1 });
    const decoded = readIpcRecords(write(table), schema, { validation });
    expect(decoded).toEqual(tableToRecords(schema, table, { validation }));
    expect(decoded).toEqual(records.map((r) => parseRecord(schema, r, validation)));
  }

  it('round-trips interactions, user profiles and item profiles', () => {
    roundTrip(InteractionSchema, interactions);
    roundTrip(UserProfileSchema, [makeUserProfile(), makeUserProfile({ user_id: 'user-2', gender: undefined })]);
    roundTrip(ItemProfileSchema, [makeItemProfile(), makeItemProfile({ item_id: 'item-2', categories: [], numeric_attributes: {} })]);
  });

  it('round-trips an empty table with its fingerprint', () => {
    const bytes = write(recordsToTable(ItemProfileSchema, []));
    expect(readIpc(bytes, ItemProfileSchema).table.schema.metadata.get('metarec.schema.fingerprint')).toBe(ItemProfileSchema.fingerprint);
    expect(readIpcRecords(bytes, ItemProfileSchema)).toEqual([]);
  });

  it('reports the schema the file was written with', () => {
    const bytes = write(recordsToTable(InteractionSchema, interactions, { validation }));
    expect(readIpc(bytes, InteractionSchema).writtenWith).toBe(InteractionSchema);
  });

  it('writes a table concatenated from separately built tables', () => {
    const first = recordsToTable(InteractionSchema, interactions.slice(0, 2), { validation });
    const second = recordsToTable(InteractionSchema, [makeInteraction({ user_id: 'user-9' })], { validation });
    const decoded = readIpcRecords(write(first.concat(second)), InteractionSchema, { validation });
    expect(decoded.map((r) => r.user_id)).toEqual(['user-1', 'user-2', 'user-9']);
  });
});

describe('readIpc refusals', () => {
  const table = recordsToTable(InteractionSchema, interactions, { validation });

  it('refuses bytes that are not Arrow IPC', () => {
    expect(() => readIpc(new Uint8Array(), InteractionSchema)).toThrow(expect.objectContaining({ code: 'SCHEMA_IPC_INVALID' }));
    expect(() => readIpc(new TextEncoder().encode('{"user_id":"u"}'), InteractionSchema)).toThrow(
      expect.objectContaining({ code: 'SCHEMA_IPC_INVALID' }),
    );
  });

  it('refuses a file without fingerprint metadata', () => {
    const bare = new Table(new Schema(table.schema.fields), table.batches);
    expect(() => readIpc(tableToIPC(bare, 'file'), InteractionSchema)).toThrow(expect.objectContaining({ code: 'SCHEMA_FINGERPRINT_MISSING' }));
  });

  it('refuses a file whose declared fingerprint does not match its columns', () => {
    const metadata = new Map(table.schema.metadata).set('metarec.schema.fingerprint', UserProfileSchema.fingerprint);
    const forged = new Table(new Schema(table.schema.fields, metadata), table.batches);
    expect(() => readIpc(tableToIPC(forged, 'file'), UserProfileSchema)).toThrow(expect.objectContaining({ code: 'SCHEMA_FINGERPRINT_MISMATCH' }));
  });

  it('refuses to write a table without fingerprint metadata', () => {
    const bare = new Table(new Schema(table.schema.fields), table.batches);
    expect(() => writeIpcFile(bare)).toThrow(expect.objectContaining({ code: 'SCHEMA_FINGERPRINT_MISSING' }));
    expect(() => writeIpcStream(bare)).toThrow(expect.objectContaining({ code: 'SCHEMA_FINGERPRINT_MISSING' }));
  });

  it('refuses a file of another schema', () => {
    expect(() => readIpc(writeIpcFile(table), UserProfileSchema)).toThrow(
      expect.objectContaining({ code: 'SCHEMA_INCOMPATIBLE', message: expect.stringContaining('schema name changed') as unknown }),
    );
  });
});
