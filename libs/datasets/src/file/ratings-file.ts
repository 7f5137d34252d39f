import type { RatingScale } from '../dataset/rating-scale.js';
import type { BadRowLog } from './bad-rows.js';
import { cellId, cellNumber, cellTimestampMs } from './cell-values.js';
import type { CellValue, TimestampUnit } from './cell-values.js';
import { COLUMN_ALIASES, findColumn } from './column-roles.js';
import type { IdIndex } from './id-index.js';
import { columnLabel, openTabularFile } from './tabular-file.js';
import type { TabularFile, TabularFileOptions } from './tabular-file.js';

/** The ratings file: one row per (user, item, rating[, timestamp]). */
export interface RatingsFileOptions extends TabularFileOptions {
  /** Header names of the columns; unset ones are found by common names (`user`/`userId`/`uid`, `item`/`movieId`/`asin`, `rating`/`score`, `timestamp`/`time`). */
  readonly columns?: { readonly user?: string; readonly item?: string; readonly rating?: string; readonly timestamp?: string };
  /** Unit of a numeric timestamp column. @defaultValue 's' */
  readonly timestampUnit?: TimestampUnit;
}

/** Ratings as columns over interned user and item rows. */
export interface ParsedRatings {
  /** Path of the ratings file. */
  readonly file: string;
  readonly count: number;
  readonly userRows: Int32Array;
  readonly itemRows: Int32Array;
  readonly values: Float32Array;
  /** Epoch ms from the file, or undefined when it has no timestamp column. */
  readonly timestampsMs: Float64Array | undefined;
  /** 1-based line (or Arrow row) of each kept rating, for later checks' messages. */
  readonly lines: Int32Array;
  /** Smallest and largest rating kept (NaN when none). */
  readonly observed: RatingScale;
}

/** Column names of a ratings file without header, by field count. */
function defaultRatingColumns(fieldCount: number): readonly string[] | undefined {
  return fieldCount === 3 ? ['user', 'item', 'rating'] : fieldCount === 4 ? ['user', 'item', 'rating', 'timestamp'] : undefined;
}

interface RatingColumnIndex {
  readonly user: number;
  readonly item: number;
  readonly rating: number;
  readonly timestamp: number | undefined;
}

function ratingColumns(file: TabularFile, o: RatingsFileOptions): RatingColumnIndex {
  const c = o.columns ?? {};
  return {
    user: findColumn(file, 'user', c.user, COLUMN_ALIASES.user, true) as number,
    item: findColumn(file, 'item', c.item, COLUMN_ALIASES.item, true) as number,
    rating: findColumn(file, 'rating', c.rating, COLUMN_ALIASES.rating, true) as number,
    timestamp: findColumn(file, 'timestamp', c.timestamp, COLUMN_ALIASES.timestamp, false),
  };
}

/**
 * Reads a ratings file, interning ids into `users` / `items`. Each bad row (wrong field count,
 * empty or over-long id, non-numeric rating or timestamp, a rating outside `scale`) goes to
 * `badRows` with its file, line and column; under `skip` it is left out.
 * @throws DatasetError as {@link openTabularFile}, `DS_COLUMN_MISSING`, and `DS_MALFORMED_LINE` via `badRows` under `fail`.
 */
export async function readRatingsFile(options: RatingsFileOptions, users: IdIndex, items: IdIndex, scale: RatingScale | undefined, badRows: BadRowLog): Promise<ParsedRatings> {
  const file = await openTabularFile(options, defaultRatingColumns);
  const col = ratingColumns(file, options);
  const unit = options.timestampUnit ?? 's';
  const n = file.rowCount;
  const out = { userRows: new Int32Array(n), itemRows: new Int32Array(n), values: new Float32Array(n), timestampsMs: new Float64Array(n), lines: new Int32Array(n) };
  let kept = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let row = 0; row < n; row++) {
    const line = file.lineOf(row);
    const bad = (index: number, reason: string): void => badRows.report({ file: file.file, line, column: columnLabel(file, index), reason });
    const read = <T>(index: number, value: CellValue<T>): T | undefined => {
      if (value.ok) {
        return value.value;
      }
      bad(index, value.reason);
      return undefined;
    };
    const split = file.cells(row);
    if (!split.ok) {
      bad(split.fieldIndex, split.reason);
      continue;
    }
    const cells = split.cells;
    if (cells.length !== file.columns.length) {
      bad(Math.min(cells.length, file.columns.length), `expected ${file.columns.length} fields, got ${cells.length}`);
      continue;
    }
    const user = read(col.user, cellId(cells[col.user]));
    const item = user === undefined ? undefined : read(col.item, cellId(cells[col.item]));
    const rating = item === undefined ? undefined : read(col.rating, cellNumber(cells[col.rating], 'rating'));
    if (user === undefined || item === undefined || rating === undefined) {
      continue;
    }
    if (scale !== undefined && (rating < scale.min || rating > scale.max)) {
      bad(col.rating, `rating ${rating} is outside the scale ${scale.min}..${scale.max}`);
      continue;
    }
    const time = col.timestamp === undefined ? 0 : read(col.timestamp, cellTimestampMs(cells[col.timestamp], unit));
    if (time === undefined) {
      continue;
    }
    out.userRows[kept] = users.intern(user);
    out.itemRows[kept] = items.intern(item);
    out.values[kept] = rating;
    out.timestampsMs[kept] = time;
    out.lines[kept] = line;
    min = Math.min(min, rating);
    max = Math.max(max, rating);
    kept++;
  }
  return {
    file: file.file,
    count: kept,
    userRows: out.userRows.slice(0, kept),
    itemRows: out.itemRows.slice(0, kept),
    values: out.values.slice(0, kept),
    timestampsMs: col.timestamp === undefined ? undefined : out.timestampsMs.slice(0, kept),
    lines: out.lines.slice(0, kept),
    observed: kept === 0 ? { min: NaN, max: NaN } : { min, max },
  };
}
