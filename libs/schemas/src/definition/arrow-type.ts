import {
  Dictionary,
  Field,
  Float64,
  Int32,
  Int8,
  List,
  Map_,
  Struct,
  TimestampMillisecond,
  Utf8,
  type DataType,
} from 'apache-arrow';

import { ENUM_VALUES_METADATA_KEY } from './canonical-form.js';
import type { FieldDef } from './field.js';

/** Timezone stamped on every timestamp column: values are UTC epoch milliseconds. */
export const TIMESTAMP_TIMEZONE = 'UTC';

/**
 * The Arrow storage type of a field definition. Each call creates fresh `Dictionary` types
 * (with fresh dictionary ids), so a record schema builds its Arrow schema exactly once and
 * every table of that schema reuses those instances.
 *
 * - string → `Utf8`, or `Dictionary<Int32, Utf8>` with `dictionary: true`
 * - enum → `Dictionary<Int8, Utf8>`; int32 → `Int32`; float64 → `Float64`
 * - timestampMs → `Timestamp<MILLISECOND, UTC>` (int64 on the wire)
 * - list → `List<item: element>` (elements non-null)
 * - numericMap → `Map<entries: Struct<key: Utf8, value: Float64>>` (keys unsorted)
 */
export function arrowTypeOf(def: FieldDef): DataType {
  switch (def.kind) {
    case 'string':
      return def.dictionary ? new Dictionary(new Utf8(), new Int32()) : new Utf8();
    case 'enum':
      return new Dictionary(new Utf8(), new Int8());
    case 'int32':
      return new Int32();
    case 'float64':
      return new Float64();
    case 'timestampMs':
      return new TimestampMillisecond(TIMESTAMP_TIMEZONE);
    case 'list':
      return new List(arrowFieldOf('item', def.element));
    case 'numericMap': {
      const entries = new Struct([new Field('key', new Utf8(), false), new Field('value', new Float64(), false)]);
      return new Map_(new Field('entries', entries, false), false);
    }
  }
}

/**
 * The Arrow field of a field definition: {@link arrowTypeOf} plus nullability, and for enums
 * the allowed values as JSON under the `metarec.enum.values` field metadata key.
 */
export function arrowFieldOf(name: string, def: FieldDef): Field {
  const metadata = new Map<string, string>();
  if (def.kind === 'enum') {
    metadata.set(ENUM_VALUES_METADATA_KEY, JSON.stringify(def.values));
  }
  return new Field(name, arrowTypeOf(def), def.nullable, metadata);
}
