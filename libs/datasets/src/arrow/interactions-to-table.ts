import { INTERACTION_EVENT_TYPES, InteractionSchema } from '@metarec/schemas';
import { DataType, RecordBatch, Struct, Table, Utf8, makeData, vectorFromArray } from 'apache-arrow';
import type { Data, Field } from 'apache-arrow';

import type { Dataset } from '../dataset/dataset.js';
import { DatasetError } from '../errors.js';

/** Rows per record batch, as `recordsToTable` of `@metarec/schemas`. */
const BATCH_ROWS = 65_536;

/**
 * The interactions of `dataset` as an Arrow table on `InteractionSchema` (name, version and
 * fingerprint in its metadata), built straight from the columns: `userRows`/`itemRows` become
 * the indices of the `user_id`/`item_id` dictionaries (whose entries are the profiles' ids),
 * so no record object is made per interaction (1M interactions: well under a second). The
 * result equals `recordsToTable(InteractionSchema, interactionRecords(dataset))` record for
 * record; it is not validated again (importers and the generator produce valid values).
 * @throws DatasetError `DS_INVALID_INPUT` if the schema has a column this builder does not know.
 */
export function interactionsToTable(dataset: Dataset): Table {
  const c = dataset.interactions;
  const n = c.count;
  const schema = InteractionSchema.arrowSchema;
  const children = schema.fields.map((field): Data => {
    switch (field.name) {
      case 'user_id':
        return dictionaryColumn(field, c.userRows, dataset.users.map((u) => u.user_id));
      case 'item_id':
        return dictionaryColumn(field, c.itemRows, dataset.items.map((i) => i.item_id));
      case 'event_type':
        return dictionaryColumn(field, Int8Array.from(c.eventTypes), INTERACTION_EVENT_TYPES);
      case 'value':
        return valueColumn(field, c.values);
      case 'timestamp_ms':
        return makeData({ type: field.type as DataType, length: n, nullCount: 0, data: toInt64(c.timestampsMs) } as Parameters<typeof makeData>[0]);
      case 'session_id':
      case 'device':
        return allNullColumn(field, n);
      default:
        throw new DatasetError('DS_INVALID_INPUT', `interactionsToTable: InteractionSchema column "${field.name}" is not handled`);
    }
  });
  if (n === 0) {
    return new Table(schema);
  }
  const whole = new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: n, nullCount: 0, children }));
  const batches: RecordBatch[] = [];
  for (let start = 0; start < n; start += BATCH_ROWS) {
    batches.push(whole.slice(start, Math.min(start + BATCH_ROWS, n)));
  }
  return new Table(batches);
}

/** Integer ms as int64, written as little-endian 32-bit halves (10× faster than `BigInt` per value). */
function toInt64(timestampsMs: Float64Array): BigInt64Array {
  const out = new BigInt64Array(timestampsMs.length);
  const halves = new Int32Array(out.buffer);
  for (let k = 0; k < timestampsMs.length; k++) {
    const t = timestampsMs[k];
    const high = Math.floor(t / 0x1_0000_0000);
    halves[2 * k] = t - high * 0x1_0000_0000;
    halves[2 * k + 1] = high;
  }
  return out;
}

function dictionaryColumn(field: Field, indices: Int32Array | Int8Array, entries: readonly string[]): Data {
  return makeData({
    type: field.type as DataType,
    length: indices.length,
    nullCount: 0,
    data: indices,
    dictionary: vectorFromArray([...entries], new Utf8()),
  } as Parameters<typeof makeData>[0]);
}

/** Float64 with NaN as null. */
function valueColumn(field: Field, values: Float32Array): Data {
  const n = values.length;
  const validity = new Uint8Array((n + 7) >> 3);
  let nullCount = 0;
  for (let k = 0; k < n; k++) {
    if (Number.isNaN(values[k])) {
      nullCount++;
    } else {
      validity[k >> 3] |= 1 << (k & 7);
    }
  }
  return makeData({ type: field.type as DataType, length: n, nullCount, nullBitmap: validity, data: Float64Array.from(values) } as Parameters<typeof makeData>[0]);
}

/** A nullable string column (plain or dictionary) holding only nulls. */
function allNullColumn(field: Field, n: number): Data {
  const nullBitmap = new Uint8Array((n + 7) >> 3);
  if (DataType.isDictionary(field.type)) {
    return makeData({ type: field.type, length: n, nullCount: n, nullBitmap, data: new Int32Array(n), dictionary: vectorFromArray([] as string[], new Utf8()) } as Parameters<typeof makeData>[0]);
  }
  return makeData({ type: field.type as DataType, length: n, nullCount: n, nullBitmap, valueOffsets: new Int32Array(n + 1), data: new Uint8Array(0) } as Parameters<typeof makeData>[0]);
}
