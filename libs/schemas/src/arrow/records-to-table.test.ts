import { DataType } from 'apache-arrow';
import { describe, expect, it } from 'vitest';

import { canonicalType } from '../definition/canonical-form.js';
import { InteractionSchema } from '../records/interaction.js';
import { ItemProfileSchema } from '../records/item-profile.js';
import { FIXTURE_NOW_MS, makeInteraction, makeItemProfile } from '../testing/record-builders.js';
import { recordsToTable } from './records-to-table.js';
import { tableToRecords } from './table-to-records.js';

const validation = { nowMs: FIXTURE_NOW_MS };

describe('recordsToTable', () => {
  it('gives each interaction column its Arrow storage type', () => {
    const table = recordsToTable(InteractionSchema, [makeInteraction()], { validation });
    expect(Object.fromEntries(table.schema.fields.map((f) => [f.name, canonicalType(f.type)]))).toEqual({
      user_id: 'dictionary<utf8,int32>',
      item_id: 'dictionary<utf8,int32>',
      event_type: 'dictionary<utf8,int8>',
      value: 'float64',
      timestamp_ms: 'timestamp[ms,UTC]',
      session_id: 'utf8',
      device: 'dictionary<utf8,int32>',
    });
    expect(table.schema.metadata.get('metarec.schema.fingerprint')).toBe(InteractionSchema.fingerprint);
  });

  it('stores categories as a list of dictionary labels and attributes as a map', () => {
    const table = recordsToTable(ItemProfileSchema, [makeItemProfile()], { validation });
    const categories = table.schema.fields.find((f) => f.name === 'categories');
    expect(categories && DataType.isList(categories.type)).toBe(true);
    expect(canonicalType(categories?.type as DataType)).toBe('list<item:dictionary<utf8,int32>>');
    expect([...(table.getChild('categories')?.get(0) as Iterable<string>)]).toEqual(['Animation', "Children's", 'Comedy']);
  });

  it('writes absent optional fields as nulls', () => {
    const table = recordsToTable(InteractionSchema, [makeInteraction({ session_id: undefined, device: null })], { validation });
    expect(table.getChild('session_id')?.nullCount).toBe(1);
    expect(table.getChild('device')?.get(0)).toBeNull();
  });

  it('splits rows into batches that share one dictionary per column', () => {
    const records = Array.from({ length: 10 }, (_, i) => makeInteraction({ user_id: `u${i % 3}` }));
    const table = recordsToTable(InteractionSchema, records, { validation, maxBatchRows: 4 });
    expect(table.batches.map((b) => b.numRows)).toEqual([4, 4, 2]);
    const dictionaries = table.batches.map((b) => b.data.children[0].dictionary);
    expect(new Set(dictionaries).size).toBe(1);
    expect(tableToRecords(InteractionSchema, table, { validation }).map((r) => r.user_id)).toEqual(records.map((r) => r.user_id));
  });

  it('refuses an invalid record and names its row', () => {
    const records = [makeInteraction(), makeInteraction({ value: 6 })];
    expect(() => recordsToTable(InteractionSchema, records, { validation })).toThrow(
      expect.objectContaining({ code: 'SCHEMA_FIELD_RANGE', field: 'value', row: 1 }),
    );
  });

  it('returns an empty table on the schema for no records', () => {
    const table = recordsToTable(InteractionSchema, []);
    expect(table.numRows).toBe(0);
    expect(table.schema).toBe(InteractionSchema.arrowSchema);
  });

  it('rejects a non-positive batch size', () => {
    expect(() => recordsToTable(InteractionSchema, [], { maxBatchRows: 0 })).toThrow(expect.objectContaining({ code: 'SCHEMA_OPTIONS_INVALID' }));
  });
});
