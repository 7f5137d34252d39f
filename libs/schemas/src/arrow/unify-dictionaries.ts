import { DataType, MapRow, RecordBatch, Struct, Table, Vector, makeBuilder, makeData, type Data } from 'apache-arrow';

/** The dictionary chunks of a Data tree, depth first (top-level dictionary, then children's). */
function dictionaryChunks(data: Data): unknown[] {
  const own = data.dictionary === undefined ? [] : [data.dictionary.data.length === 1 ? data.dictionary.data[0] : data.dictionary];
  return [...own, ...data.children.flatMap(dictionaryChunks)];
}

function containsDictionary(type: DataType): boolean {
  return DataType.isDictionary(type) || (type.children ?? []).some((child) => containsDictionary(child.type));
}

/** True when every batch of this column points at the very same dictionary chunks. */
function sharesDictionaries(chunks: readonly Data[]): boolean {
  const first = dictionaryChunks(chunks[0]);
  return chunks.every((chunk) => {
    const own = dictionaryChunks(chunk);
    return own.length === first.length && own.every((d, i) => d === first[i]);
  });
}

/** Rebuilder input: Arrow row values (nested vectors, map rows) back to plain JS values. */
function toBuilderValue(value: unknown): unknown {
  if (value instanceof Vector) {
    return [...(value as Iterable<unknown>)].map(toBuilderValue);
  }
  if (value instanceof MapRow) {
    return new Map([...(value as Iterable<[unknown, unknown]>)].map(([k, v]) => [k, toBuilderValue(v)]));
  }
  return value;
}

function rebuildColumn(vector: Vector, lengths: readonly number[]): Data[] {
  const builder = makeBuilder({ type: vector.type as DataType, nullValues: [null] });
  for (const value of vector) {
    builder.append(toBuilderValue(value));
  }
  const whole = builder.finish().flush();
  let offset = 0;
  return lengths.map((length) => {
    const slice = whole.slice(offset, length);
    offset += length;
    return slice;
  });
}

/**
 * The IPC file format allows one dictionary per column for the whole file, while a table
 * concatenated from separately built tables (or read from a stream with replacement
 * dictionaries) has one per batch. This re-encodes only the columns whose batches disagree,
 * over one shared dictionary, keeping batch boundaries; other columns are reused untouched.
 * Cost: one decode + encode pass over those columns.
 */
export function unifyDictionaries(table: Table): Table {
  if (table.batches.length <= 1) {
    return table;
  }
  const lengths = table.batches.map((b) => b.numRows);
  let changed = false;
  const columns = table.schema.fields.map((field, i) => {
    const chunks = table.batches.map((b) => b.data.children[i]);
    if (!containsDictionary(field.type) || sharesDictionaries(chunks)) {
      return chunks;
    }
    changed = true;
    return rebuildColumn(table.getChildAt(i) as Vector, lengths);
  });
  if (!changed) {
    return table;
  }
  const type = new Struct(table.schema.fields);
  const batches = lengths.map(
    (length, b) => new RecordBatch(table.schema, makeData({ type, length, nullCount: 0, children: columns.map((c) => c[b]) })),
  );
  return new Table(table.schema, batches);
}
