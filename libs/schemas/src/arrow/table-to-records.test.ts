import { Field, Float64, RecordBatch, Schema, Struct, Table, TimestampMillisecond, Utf8, makeData, vectorFromArray } from 'apache-arrow';
import { describe, expect, it } from 'vitest';

import { field } from '../definition/field-builders.js';
import { defineRecordSchema } from '../definition/record-schema.js';
import { FIXTURE_NOW_MS } from '../testing/record-builders.js';
import { bigIntToSafeNumber } from './bigint.js';
import { recordsToTable } from './records-to-table.js';
import { tableToRecords } from './table-to-records.js';

const Reading = defineRecordSchema({
  name: 'reading',
  version: 1,
  fields: { sensor: field.id(), at_ms: field.timestampMs(), note: field.string({ nullable: true }) },
});
const validation = { nowMs: FIXTURE_NOW_MS };

function tableOf(fields: Field[], columns: unknown[][]): Table {
  const children = fields.map((f, i) => vectorFromArray(columns[i], f.type).data[0]);
  const length = columns[0].length;
  return new Table([new RecordBatch(new Schema(fields), makeData({ type: new Struct(fields), length, nullCount: 0, children }))]);
}

describe('tableToRecords', () => {
  it('converts int64 timestamps to numbers', () => {
    const table = recordsToTable(Reading, [{ sensor: 's', at_ms: FIXTURE_NOW_MS - 1 }], { validation });
    expect(tableToRecords(Reading, table, { validation })).toEqual([{ sensor: 's', at_ms: FIXTURE_NOW_MS - 1, note: null }]);
  });

  it('refuses an int64 timestamp beyond 2^53 and names the row', () => {
    const fields = [new Field('sensor', new Utf8(), false), new Field('at_ms', new TimestampMillisecond('UTC'), false)];
    const table = tableOf(fields, [['a', 'b'], [1, 2]]);
    const data = table.batches[0].data.children[1];
    (data.values as BigInt64Array)[1] = 2n ** 60n;
    expect(() => tableToRecords(Reading, table, { validate: false })).toThrow(
      expect.objectContaining({ code: 'SCHEMA_FIELD_RANGE', field: 'at_ms', row: 1 }),
    );
  });

  it('reads a missing nullable column as null and ignores extra columns', () => {
    const fields = [
      new Field('sensor', new Utf8(), false),
      new Field('at_ms', new TimestampMillisecond('UTC'), false),
      new Field('extra', new Float64(), true),
    ];
    const table = tableOf(fields, [['a'], [FIXTURE_NOW_MS], [1.5]]);
    expect(tableToRecords(Reading, table, { validation })).toEqual([{ sensor: 'a', at_ms: FIXTURE_NOW_MS, note: null }]);
  });

  it('refuses a missing required column and a column of another type', () => {
    const noTime = tableOf([new Field('sensor', new Utf8(), false)], [['a']]);
    expect(() => tableToRecords(Reading, noTime)).toThrow(expect.objectContaining({ code: 'SCHEMA_COLUMN_MISSING', field: 'at_ms' }));
    const floatTime = tableOf([new Field('sensor', new Utf8(), false), new Field('at_ms', new Float64(), false)], [['a'], [1]]);
    expect(() => tableToRecords(Reading, floatTime)).toThrow(expect.objectContaining({ code: 'SCHEMA_COLUMN_TYPE', field: 'at_ms' }));
  });

  it('validates decoded values unless told not to', () => {
    const fields = [new Field('sensor', new Utf8(), false), new Field('at_ms', new TimestampMillisecond('UTC'), false)];
    const table = tableOf(fields, [['a', ' padded'], [FIXTURE_NOW_MS, FIXTURE_NOW_MS]]);
    expect(() => tableToRecords(Reading, table, { validation })).toThrow(expect.objectContaining({ code: 'SCHEMA_FIELD_RANGE', field: 'sensor', row: 1 }));
    expect(tableToRecords(Reading, table, { validate: false })[1].sensor).toBe(' padded');
  });
});

describe('bigIntToSafeNumber', () => {
  it('converts safe integers and refuses the rest', () => {
    expect(bigIntToSafeNumber(2n ** 53n - 1n, 'x')).toBe(Number.MAX_SAFE_INTEGER);
    expect(bigIntToSafeNumber(-(2n ** 53n) + 1n, 'x')).toBe(Number.MIN_SAFE_INTEGER);
    expect(() => bigIntToSafeNumber(2n ** 53n, 'x')).toThrow(expect.objectContaining({ code: 'SCHEMA_FIELD_RANGE' }));
  });
});
