import { DataType } from 'apache-arrow';
import type { Data, Table, Vector } from 'apache-arrow';

import type { InteractionColumns } from '../dataset/dataset.js';
import { EVENT_TYPE_CODE } from '../dataset/dataset.js';
import { DatasetError } from '../errors.js';

/** Options of {@link tableToInteractions}. */
export interface TableToInteractionsOptions {
  /** `error`: an id without a profile row throws; `skip`: its interactions are dropped. @defaultValue 'error' */
  readonly unknownIds?: 'error' | 'skip';
}

/**
 * Reads an `InteractionSchema` Arrow table (e.g. from `readIpc` of `@metarec/schemas`) into
 * {@link InteractionColumns} over the given profile rows, without a JS object per row:
 * dictionary-encoded ids are resolved once per dictionary entry, then translated per row
 * through an index array; timestamps come from the int64 buffer; null values become NaN.
 * @param userRowById row of each user id (e.g. `EncodedUserTable.rowById`, or ids ↦ `Dataset.users` rows).
 * @throws DatasetError `DS_INVALID_INPUT` for a missing column, an unknown event type, or an id
 *   without a row (unless `unknownIds: 'skip'`).
 */
export function tableToInteractions(
  table: Table,
  userRowById: ReadonlyMap<string, number>,
  itemRowById: ReadonlyMap<string, number>,
  options: TableToInteractionsOptions = {},
): InteractionColumns {
  const skip = options.unknownIds === 'skip';
  const n = table.numRows;
  const users = rowsOf(column(table, 'user_id'), userRowById, 'user_id', skip, n);
  const items = rowsOf(column(table, 'item_id'), itemRowById, 'item_id', skip, n);
  const eventTypes = rowsOf(column(table, 'event_type'), new Map(Object.entries(EVENT_TYPE_CODE)), 'event_type', false, n);
  const values = new Float32Array(n);
  const timestampsMs = new Float64Array(n);
  let at = 0;
  for (const data of column(table, 'value').data) {
    const raw = data.values as Float64Array;
    const nullable = data.nullCount > 0;
    for (let k = 0; k < data.length; k++) {
      values[at + k] = nullable && !data.getValid(k) ? NaN : raw[k];
    }
    at += data.length;
  }
  at = 0;
  for (const data of column(table, 'timestamp_ms').data) {
    // Little-endian 32-bit halves: exact for |t| < 2^53, no BigInt per row.
    const raw = data.values as BigInt64Array;
    const halves = new Int32Array(raw.buffer, raw.byteOffset, 2 * data.length);
    for (let k = 0; k < data.length; k++) {
      timestampsMs[at + k] = halves[2 * k + 1] * 0x1_0000_0000 + (halves[2 * k] >>> 0);
    }
    at += data.length;
  }
  const keep: number[] = [];
  if (skip) {
    for (let k = 0; k < n; k++) {
      if (users[k] >= 0 && items[k] >= 0) {
        keep.push(k);
      }
    }
  }
  if (!skip || keep.length === n) {
    return { count: n, userRows: users, itemRows: items, eventTypes: Uint8Array.from(eventTypes), values, timestampsMs };
  }
  const pick = <T extends Int32Array | Uint8Array | Float32Array | Float64Array>(source: ArrayLike<number>, out: T): T => {
    keep.forEach((k, r) => {
      out[r] = source[k];
    });
    return out;
  };
  const m = keep.length;
  return {
    count: m,
    userRows: pick(users, new Int32Array(m)),
    itemRows: pick(items, new Int32Array(m)),
    eventTypes: pick(eventTypes, new Uint8Array(m)),
    values: pick(values, new Float32Array(m)),
    timestampsMs: pick(timestampsMs, new Float64Array(m)),
  };
}

function column(table: Table, name: string): Vector {
  const vector = table.getChild(name);
  if (vector === null) {
    throw new DatasetError('DS_INVALID_INPUT', `interaction table has no column "${name}"`);
  }
  return vector;
}

/** Row of each entry of a string column (dictionary or plain); -1 for unknown ids when skipping. */
function rowsOf(vector: Vector, rowById: ReadonlyMap<string, number>, name: string, skip: boolean, n: number): Int32Array {
  const out = new Int32Array(n);
  const rowOf = (id: unknown): number => (typeof id === 'string' ? (rowById.get(id) ?? -1) : -1);
  const lookups = new Map<Vector, Int32Array>();
  let at = 0;
  for (const data of vector.data as Data[]) {
    const plain = vector.slice(at, at + data.length);
    if (DataType.isDictionary(data.type) && data.dictionary !== undefined) {
      // One map lookup per dictionary entry, then an array index per row.
      const dictionary = data.dictionary as Vector;
      let lookup = lookups.get(dictionary);
      if (lookup === undefined) {
        lookup = Int32Array.from({ length: dictionary.length }, (_, d) => rowOf(dictionary.get(d)));
        lookups.set(dictionary, lookup);
      }
      const indices = data.values as Int32Array | Int8Array;
      for (let k = 0; k < data.length; k++) {
        out[at + k] = lookup[indices[k]];
      }
    } else {
      for (let k = 0; k < data.length; k++) {
        out[at + k] = rowOf(plain.get(k));
      }
    }
    if (!skip) {
      const missing = out.subarray(at, at + data.length).indexOf(-1);
      if (missing >= 0) {
        throw new DatasetError('DS_INVALID_INPUT', `interaction row ${at + missing}: ${name} "${String(plain.get(missing))}" is unknown (no profile row / event type)`);
      }
    }
    at += data.length;
  }
  return out;
}
