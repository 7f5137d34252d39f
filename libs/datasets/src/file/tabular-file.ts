import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';

import { tableFromIPC } from 'apache-arrow';
import type { Table } from 'apache-arrow';

import { mergeOptions } from '@metarec/runtime';

import { DatasetError } from '../errors.js';
import { detectSeparator, splitDelimitedLine } from './delimited-line.js';
import type { SplitLine } from './delimited-line.js';

/** How to read one file of a generic import. */
export interface TabularFileOptions {
  /** Path of the file. */
  readonly path: string;
  /** `auto`: Arrow IPC when the file starts with Arrow's magic or ends in .arrow/.arrows/.ipc/.feather, else delimited text. @defaultValue 'auto' */
  readonly format?: 'auto' | 'delimited' | 'arrow';
  /** Field separator of a text file (any string, `::` included); `auto` takes the first of `::`, tab, `,`, `;`, `|` found on the first line. @defaultValue 'auto' */
  readonly separator?: string;
  /** Whether a text file's first line names the columns; `auto`: it does when none of its fields is a number. @defaultValue 'auto' */
  readonly header?: 'auto' | 'present' | 'absent';
  /** Column names of a text file without a header, in file order (`-` for a column to ignore). */
  readonly columnOrder?: readonly string[];
  /** Text encoding. @defaultValue 'utf8' */
  readonly encoding?: 'utf8' | 'latin1';
}

/** Defaults of {@link TabularFileOptions}. */
export const DEFAULT_TABULAR_FILE_OPTIONS: Required<Omit<TabularFileOptions, 'path' | 'columnOrder'>> = { format: 'auto', separator: 'auto', header: 'auto', encoding: 'utf8' };

type ResolvedTabularFileOptions = Required<Omit<TabularFileOptions, 'columnOrder'>> & Pick<TabularFileOptions, 'columnOrder'>;

/** A row's cells (strings for text; numbers, bigints, strings or null for Arrow), or why it has none. */
export type RowCells = { readonly ok: true; readonly cells: readonly unknown[] } | { readonly ok: false; readonly fieldIndex: number; readonly reason: string };

/** A data file as rows of cells, whatever its format, remembering where each row came from. */
export interface TabularFile {
  readonly file: string;
  readonly format: 'delimited' | 'arrow';
  /** Column names (the header's, or `columnOrder` / the caller's defaults for a text file without one). */
  readonly columns: readonly string[];
  /** Whether the column names came from the file. */
  readonly hasHeader: boolean;
  readonly rowCount: number;
  /** The cells of data row `row` (0-based). */
  cells(row: number): RowCells;
  /** 1-based line (text) or row (Arrow) number of data row `row`, for messages. */
  lineOf(row: number): number;
}

const ARROW_MAGIC = 'ARROW1';
const ARROW_EXTENSIONS = new Set(['.arrow', '.arrows', '.ipc', '.feather']);

/** `<1-based position> (<name>)`: how errors name a column. */
export function columnLabel(file: Pick<TabularFile, 'columns'>, index: number): string {
  const name = file.columns[index];
  return name === undefined ? String(index + 1) : `${index + 1} (${name})`;
}

/**
 * Opens a delimited text or Arrow IPC file.
 * @param defaultColumns names for a text file without header and without `columnOrder`, from its field count.
 * @throws DatasetError `DS_FILE_MISSING`, `DS_FILE_EMPTY` (no data rows), `DS_MALFORMED_HEADER`
 *   (a column named twice, naming line and column), `DS_INVALID_OPTION` (no separator found, or
 *   no column names for a file without header).
 */
export async function openTabularFile(options: TabularFileOptions, defaultColumns?: (fieldCount: number) => readonly string[] | undefined): Promise<TabularFile> {
  const o: ResolvedTabularFileOptions = mergeOptions(DEFAULT_TABULAR_FILE_OPTIONS, options);
  let bytes: Buffer;
  try {
    bytes = await readFile(o.path);
  } catch (cause) {
    throw new DatasetError('DS_FILE_MISSING', `cannot read ${o.path}: ${(cause as Error).message}`, { cause, file: o.path });
  }
  const arrow = o.format === 'arrow' || (o.format === 'auto' && (bytes.subarray(0, ARROW_MAGIC.length).toString('latin1') === ARROW_MAGIC || ARROW_EXTENSIONS.has(extname(o.path).toLowerCase())));
  const file = arrow ? arrowFile(o.path, bytes) : delimitedFile(o, bytes.toString(o.encoding), defaultColumns);
  assertDistinctColumns(file);
  if (file.rowCount === 0) {
    throw new DatasetError('DS_FILE_EMPTY', `${o.path} has no data rows`, { file: o.path });
  }
  return file;
}

function assertDistinctColumns(file: TabularFile): void {
  const seen = new Map<string, number>();
  file.columns.forEach((name, index) => {
    const first = seen.get(name);
    if (first !== undefined && name !== '-') {
      const where = file.format === 'arrow' ? `${file.file}: schema` : `${file.file}:1`;
      throw new DatasetError('DS_MALFORMED_HEADER', `${where}: column ${columnLabel(file, index)}: the header names "${name}" twice (also column ${first + 1})`, {
        file: file.file,
        line: file.format === 'arrow' ? undefined : 1,
        column: columnLabel(file, index),
      });
    }
    seen.set(name, index);
  });
}

function arrowFile(path: string, bytes: Buffer): TabularFile {
  let table: Table;
  try {
    table = tableFromIPC(bytes);
  } catch (cause) {
    throw new DatasetError('DS_MALFORMED_LINE', `${path}: not a readable Arrow IPC file: ${(cause as Error).message}`, { cause, file: path });
  }
  const columns = table.schema.fields.map((f) => f.name);
  const vectors = columns.map((_, c) => table.getChildAt(c));
  return {
    file: path,
    format: 'arrow',
    columns,
    hasHeader: true,
    rowCount: table.numRows,
    cells: (row) => ({ ok: true, cells: vectors.map((v) => (v === null ? null : (v.get(row) as unknown))) }),
    lineOf: (row) => row + 1,
  };
}

function delimitedFile(o: ResolvedTabularFileOptions, text: string, defaultColumns?: (fieldCount: number) => readonly string[] | undefined): TabularFile {
  const lines: string[] = [];
  const lineNumbers: number[] = [];
  text.split('\n').forEach((raw, k) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() !== '') {
      lines.push(k === 0 && line.charCodeAt(0) === 0xfeff ? line.slice(1) : line);
      lineNumbers.push(k + 1);
    }
  });
  if (lines.length === 0) {
    throw new DatasetError('DS_FILE_EMPTY', `${o.path} is empty`, { file: o.path });
  }
  const separator = o.separator === 'auto' ? detectSeparator(lines[0]) : o.separator;
  if (separator === undefined || separator === '') {
    throw new DatasetError('DS_INVALID_OPTION', `${o.path}:${lineNumbers[0]}: cannot detect the field separator (none of ::, tab, comma, semicolon, |); pass one`, { file: o.path, line: lineNumbers[0] });
  }
  const first = splitDelimitedLine(lines[0], separator);
  if (!first.ok) {
    throw new DatasetError('DS_MALFORMED_LINE', `${o.path}:${lineNumbers[0]}: column ${first.fieldIndex + 1}: ${first.reason}`, { file: o.path, line: lineNumbers[0], column: String(first.fieldIndex + 1) });
  }
  const hasHeader = o.header === 'present' || (o.header === 'auto' && first.fields.every((f) => !isNumeric(f)));
  const columns = hasHeader ? first.fields.map((f) => f.trim()) : (o.columnOrder ?? defaultColumns?.(first.fields.length));
  if (columns === undefined) {
    throw new DatasetError('DS_INVALID_OPTION', `${o.path}: the file has no header; give its column names in order (columnOrder)`, { file: o.path });
  }
  const offset = hasHeader ? 1 : 0;
  return {
    file: o.path,
    format: 'delimited',
    columns,
    hasHeader,
    rowCount: lines.length - offset,
    cells: (row): RowCells => toCells(splitDelimitedLine(lines[row + offset], separator)),
    lineOf: (row) => lineNumbers[row + offset],
  };
}

function toCells(split: SplitLine): RowCells {
  return split.ok ? { ok: true, cells: split.fields } : split;
}

/** True for a decimal number such as `4`, `-1.5`, `3e2` (what a header never holds). */
export function isNumeric(text: string): boolean {
  const t = text.trim();
  return t !== '' && Number.isFinite(Number(t));
}
