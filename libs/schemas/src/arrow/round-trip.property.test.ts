import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import type { FieldMap, RecordInputOfFields } from '../definition/field.js';
import type { RecordSchema } from '../definition/record-schema.js';
import { InteractionSchema } from '../records/interaction.js';
import { ItemProfileSchema } from '../records/item-profile.js';
import { UserProfileSchema } from '../records/user-profile.js';
import { FIXTURE_NOW_MS } from '../testing/record-builders.js';
import { interactionArbitrary, itemProfileArbitrary, userProfileArbitrary } from '../testing/record-arbitraries.js';
import { parseRecord } from '../validation/validate-record.js';
import { readIpcRecords } from './read-ipc.js';
import { recordsToTable } from './records-to-table.js';
import { tableToRecords } from './table-to-records.js';
import { writeIpcFile, writeIpcStream } from './write-ipc.js';

const clock = { nowMs: FIXTURE_NOW_MS };
const validation = clock;
const NUM_RUNS = 40;

function roundTripProperty<F extends FieldMap>(schema: RecordSchema<F>, arb: fc.Arbitrary<RecordInputOfFields<F>>): void {
  fc.assert(
    fc.property(fc.array(arb, { maxLength: 25 }), fc.integer({ min: 1, max: 8 }), fc.boolean(), (records, maxBatchRows, concat) => {
      const expected = records.map((r) => parseRecord(schema, r, validation));
      const half = Math.floor(records.length / 2);
      // Either one table with shared dictionaries, or two tables with their own (IPC stream
      // replacement dictionaries; the file writer has to unify them).
      const table = concat
        ? recordsToTable(schema, records.slice(0, half), { validation, maxBatchRows }).concat(
            recordsToTable(schema, records.slice(half), { validation, maxBatchRows }),
          )
        : recordsToTable(schema, records, { validation, maxBatchRows });
      expect(tableToRecords(schema, table, { validation })).toEqual(expected);
      expect(readIpcRecords(writeIpcFile(table), schema, { validation })).toEqual(expected);
      expect(readIpcRecords(writeIpcStream(table), schema, { validation })).toEqual(expected);
    }),
    { numRuns: NUM_RUNS },
  );
}

describe('Arrow round trip of random valid records', () => {
  it('returns the same interactions through a table, an IPC file and an IPC stream', () => {
    roundTripProperty(InteractionSchema, interactionArbitrary(clock));
  });

  it('returns the same user profiles', () => {
    roundTripProperty(UserProfileSchema, userProfileArbitrary(clock));
  });

  it('returns the same item profiles', () => {
    roundTripProperty(ItemProfileSchema, itemProfileArbitrary(clock));
  });
});
