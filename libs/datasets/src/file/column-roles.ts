import { DatasetError } from '../errors.js';
import type { TabularFile } from './tabular-file.js';

/** Lower-case letters and digits only: `userId`, `User-ID` and `user_id` all become `userid`. */
export function normalizeColumnName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Header names recognised for each column role when none is configured (compared normalized). */
export const COLUMN_ALIASES = {
  user: ['user', 'userid', 'uid', 'users', 'customer', 'customerid', 'reviewerid'],
  item: ['item', 'itemid', 'iid', 'items', 'movie', 'movieid', 'product', 'productid', 'asin', 'isbn', 'book', 'bookid'],
  rating: ['rating', 'ratings', 'score', 'stars', 'bookrating', 'overall'],
  timestamp: ['timestamp', 'time', 'ts', 'timestampms', 'unixtime', 'unixreviewtime', 'datetime'],
} as const;

/**
 * Index of the column for a role: the configured `name` (exactly, then normalized), else the
 * first column whose normalized name is one of `aliases`.
 * @returns undefined when the column is absent and not `required`.
 * @throws DatasetError `DS_COLUMN_MISSING` naming the file, the role, what was looked for and the columns there are.
 */
export function findColumn(file: TabularFile, role: string, name: string | undefined, aliases: readonly string[], required: boolean): number | undefined {
  const wanted = name === undefined ? aliases : [name];
  const exact = name === undefined ? -1 : file.columns.indexOf(name);
  if (exact >= 0) {
    return exact;
  }
  const normalized = new Set(wanted.map(normalizeColumnName));
  const index = file.columns.findIndex((c) => normalized.has(normalizeColumnName(c)));
  if (index >= 0) {
    return index;
  }
  if (!required && name === undefined) {
    return undefined;
  }
  const source = file.hasHeader ? 'header' : 'column names';
  throw new DatasetError('DS_COLUMN_MISSING', `${file.file}: no ${role} column: looked for ${wanted.map((w) => `"${w}"`).join(', ')} in the ${source} ${file.columns.map((c) => `"${c}"`).join(', ')}`, {
    file: file.file,
    column: name ?? role,
  });
}
