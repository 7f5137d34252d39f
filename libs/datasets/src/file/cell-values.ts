import { ID_MAX_LENGTH } from '@metarec/schemas';

/** A cell read as a value, or why it cannot be one (the caller adds file, line and column). */
export type CellValue<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

const fail = <T>(reason: string): CellValue<T> => ({ ok: false, reason });

function display(cell: unknown): string {
  return typeof cell === 'string' ? `"${cell}"` : String(cell);
}

/** True for an empty text cell or an Arrow null. */
export function isEmptyCell(cell: unknown): boolean {
  return cell === null || cell === undefined || (typeof cell === 'string' && cell.trim() === '');
}

/** An id: a non-empty string of at most `ID_MAX_LENGTH` characters (numbers and bigints from Arrow in decimal). */
export function cellId(cell: unknown): CellValue<string> {
  if (isEmptyCell(cell)) {
    return fail('id is empty');
  }
  const id = typeof cell === 'string' ? cell.trim() : typeof cell === 'number' || typeof cell === 'bigint' ? String(cell) : undefined;
  if (id === undefined) {
    return fail(`id must be a string or an integer, got ${display(cell)}`);
  }
  return id.length > ID_MAX_LENGTH ? fail(`id is longer than ${ID_MAX_LENGTH} characters`) : { ok: true, value: id };
}

/** A finite number (text in decimal or exponent notation; Arrow numbers and bigints). */
export function cellNumber(cell: unknown, what: string): CellValue<number> {
  if (isEmptyCell(cell)) {
    return fail(`${what} is empty`);
  }
  const value = typeof cell === 'string' ? Number(cell.trim()) : typeof cell === 'number' || typeof cell === 'bigint' ? Number(cell) : NaN;
  return Number.isFinite(value) ? { ok: true, value } : fail(`${what} must be a number, got ${display(cell)}`);
}

/** Unit of numeric timestamps: `s` (Unix seconds, MovieLens) or `ms`. Arrow Date/Timestamp columns arrive in ms. */
export type TimestampUnit = 's' | 'ms';

/** A timestamp in epoch ms: a number in `unit`, or an Arrow `Date` value. */
export function cellTimestampMs(cell: unknown, unit: TimestampUnit): CellValue<number> {
  if (cell instanceof Date) {
    return { ok: true, value: cell.getTime() };
  }
  const n = cellNumber(cell, 'timestamp');
  if (!n.ok) {
    return n;
  }
  return { ok: true, value: unit === 's' ? n.value * 1000 : n.value };
}
