import type { ItemDraft } from '../dataset/profile-drafts.js';
import type { BadRowLog } from './bad-rows.js';
import { cellId, cellNumber, isEmptyCell } from './cell-values.js';
import { COLUMN_ALIASES, findColumn } from './column-roles.js';
import type { IdIndex } from './id-index.js';
import { columnLabel, openTabularFile } from './tabular-file.js';
import type { TabularFile, TabularFileOptions } from './tabular-file.js';

/** `ItemProfile.release_year`'s range (schemas' item_profile v1). */
const RELEASE_YEAR_MIN = 1800;
/** See {@link RELEASE_YEAR_MIN}. */
const RELEASE_YEAR_MAX = 2100;
/** `ItemProfile.title` holds at most this many characters; longer titles are cut. */
const TITLE_MAX_LENGTH = 512;
/** `ItemProfile.categories` holds at most this many labels. */
const CATEGORIES_MAX = 64;

/** An item side-feature file: one row per item. */
export interface ItemFeaturesFileOptions extends TabularFileOptions {
  /** Header name of the item id column. @defaultValue the first of `item`, `item_id`, `movieId`, `asin`, … */
  readonly idColumn?: string;
  /** Title column. @defaultValue `title` or `name` when present; the id otherwise */
  readonly titleColumn?: string;
  /**
   * Categorical columns, multi-valued when a cell holds `categorySeparator` (genres). Their
   * labels form the item's category multi-hot; with more than one column each label is prefixed
   * `<column>=` so equal values of different columns stay apart.
   * @defaultValue the columns named `genres`, `genre`, `categories` or `category`
   */
  readonly categoryColumns?: readonly string[];
  /** Separator inside a multi-valued cell. @defaultValue '|' */
  readonly categorySeparator?: string;
  /** Numeric columns, standardised by the encoder (an empty cell = missing). @defaultValue [] */
  readonly numericColumns?: readonly string[];
  /** Release year column: a year, or a date holding one 4-digit year (`1995-01-01`, `01-Jan-1995`). @defaultValue `release_year` or `year` when present */
  readonly releaseYearColumn?: string;
}

interface ItemColumnIndex {
  readonly id: number;
  readonly title: number | undefined;
  readonly categories: readonly number[];
  readonly numeric: readonly number[];
  readonly year: number | undefined;
}

function itemColumns(file: TabularFile, o: ItemFeaturesFileOptions): ItemColumnIndex {
  const required = (name: string): number => findColumn(file, name, name, [], true) as number;
  const categories = o.categoryColumns?.map(required) ?? ['genres', 'genre', 'categories', 'category'].flatMap((name) => findColumn(file, name, undefined, [name], false) ?? []);
  return {
    id: findColumn(file, 'item id', o.idColumn, COLUMN_ALIASES.item, true) as number,
    title: findColumn(file, 'title', o.titleColumn, ['title', 'name'], false),
    categories,
    numeric: (o.numericColumns ?? []).map(required),
    year: findColumn(file, 'release year', o.releaseYearColumn, ['release_year', 'year', 'releaseyear'], false),
  };
}

/**
 * Reads an item side-feature file into profile drafts (rows interned into `items` in file order).
 * @throws DatasetError `DS_COLUMN_MISSING`, `DS_MALFORMED_HEADER`, `DS_FILE_*`, and
 *   `DS_MALFORMED_LINE` via `badRows` (wrong field count, empty id, an item listed twice, a
 *   non-numeric numeric cell, a year outside 1800–2100, more than 64 categories) under `fail`.
 */
export async function readItemFeaturesFile(options: ItemFeaturesFileOptions, items: IdIndex, badRows: BadRowLog): Promise<Map<number, ItemDraft>> {
  const file = await openTabularFile(options);
  const col = itemColumns(file, options);
  const separator = options.categorySeparator ?? '|';
  const drafts = new Map<number, ItemDraft>();
  for (let row = 0; row < file.rowCount; row++) {
    const line = file.lineOf(row);
    const bad = (index: number, reason: string): undefined => {
      badRows.report({ file: file.file, line, column: columnLabel(file, index), reason });
      return undefined;
    };
    const split = file.cells(row);
    if (!split.ok) {
      bad(split.fieldIndex, split.reason);
      continue;
    }
    if (split.cells.length !== file.columns.length) {
      bad(Math.min(split.cells.length, file.columns.length), `expected ${file.columns.length} fields, got ${split.cells.length}`);
      continue;
    }
    const draft = parseItem(split.cells, col, separator, file, bad);
    if (draft === undefined) {
      continue;
    }
    const rowOfItem = items.intern(draft.item_id);
    if (drafts.has(rowOfItem)) {
      bad(col.id, `item ${draft.item_id} is listed twice`);
      continue;
    }
    drafts.set(rowOfItem, draft);
  }
  return drafts;
}

function parseItem(cells: readonly unknown[], col: ItemColumnIndex, separator: string, file: TabularFile, bad: (index: number, reason: string) => undefined): ItemDraft | undefined {
  const id = cellId(cells[col.id]);
  if (!id.ok) {
    return bad(col.id, id.reason);
  }
  const numeric: Record<string, number> = {};
  for (const index of col.numeric) {
    if (isEmptyCell(cells[index])) {
      continue;
    }
    const value = cellNumber(cells[index], file.columns[index]);
    if (!value.ok) {
      return bad(index, value.reason);
    }
    numeric[file.columns[index]] = value.value;
  }
  const categories = new Set<string>();
  for (const index of col.categories) {
    const prefix = col.categories.length > 1 ? `${file.columns[index]}=` : '';
    const cell = cells[index];
    const values = isEmptyCell(cell) ? [] : String(cell).split(separator).map((v) => v.trim()).filter((v) => v !== '');
    values.forEach((v) => categories.add(prefix + v));
  }
  if (categories.size > CATEGORIES_MAX) {
    return bad(col.categories[0], `more than ${CATEGORIES_MAX} categories (${categories.size})`);
  }
  const year = col.year === undefined ? null : releaseYear(cells[col.year]);
  if (year === undefined) {
    return bad(col.year as number, `release year must be a year ${RELEASE_YEAR_MIN}..${RELEASE_YEAR_MAX} or a date holding one, got "${String(cells[col.year as number])}"`);
  }
  const title = col.title === undefined || isEmptyCell(cells[col.title]) ? id.value : String(cells[col.title]).trim();
  return { item_id: id.value, title: title.slice(0, TITLE_MAX_LENGTH), categories: [...categories], release_year: year, numeric_attributes: numeric };
}

/** Year of a cell: null when empty, undefined when unreadable or out of range. */
function releaseYear(cell: unknown): number | null | undefined {
  if (isEmptyCell(cell)) {
    return null;
  }
  const match = /(?:^|\D)(\d{4})(?:\D|$)/.exec(String(cell).trim());
  const year = match === null ? NaN : Number(match[1]);
  return year >= RELEASE_YEAR_MIN && year <= RELEASE_YEAR_MAX ? year : undefined;
}
