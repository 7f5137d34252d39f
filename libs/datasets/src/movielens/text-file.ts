import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { DatasetError } from '../errors.js';

/** A file's text split into lines, remembering each line's 1-based number for error messages. */
export interface TextLines {
  readonly file: string;
  /** Non-blank lines, without their line terminator. */
  readonly lines: readonly string[];
  /** 1-based line number of each entry of `lines`. */
  readonly lineNumbers: readonly number[];
}

/**
 * Reads `dir/name` as latin-1 (MovieLens titles hold ISO-8859-1 bytes that are invalid UTF-8;
 * latin-1 decodes ASCII files identically) and splits it into non-blank lines.
 * @throws DatasetError `DS_FILE_MISSING` naming the file.
 */
export async function readTextLines(dir: string, name: string): Promise<TextLines> {
  const file = join(dir, name);
  let text: string;
  try {
    text = await readFile(file, 'latin1');
  } catch (cause) {
    throw new DatasetError('DS_FILE_MISSING', `cannot read ${file}: ${(cause as Error).message}`, { cause, file });
  }
  const raw = text.split('\n');
  const lines: string[] = [];
  const lineNumbers: number[] = [];
  raw.forEach((line, k) => {
    const trimmed = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (trimmed.trim() !== '') {
      lines.push(trimmed);
      lineNumbers.push(k + 1);
    }
  });
  return { file, lines, lineNumbers };
}

/** A `DS_MALFORMED_LINE` error for line `index` of `text`, naming file and line. */
export function malformedLine(text: TextLines, index: number, reason: string): DatasetError {
  const line = text.lineNumbers[index];
  return new DatasetError('DS_MALFORMED_LINE', `${text.file}:${line}: ${reason}`, { file: text.file, line });
}

/** Splits line `index` on `separator` and checks the field count. */
export function splitFields(text: TextLines, index: number, separator: string, expected: number): string[] {
  const fields = text.lines[index].split(separator);
  if (fields.length !== expected) {
    throw malformedLine(text, index, `expected ${expected} "${separator}"-separated fields, got ${fields.length}`);
  }
  return fields;
}

/** Parses a non-negative decimal integer field. */
export function parseIntField(text: TextLines, index: number, name: string, value: string): number {
  if (!/^\d+$/.test(value)) {
    throw malformedLine(text, index, `${name} must be a non-negative integer, got "${value}"`);
  }
  return Number(value);
}
