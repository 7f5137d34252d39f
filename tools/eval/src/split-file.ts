import type { TabularFile } from '@metarec/datasets';
import { DatasetError, columnLabel, openTabularFile } from '@metarec/datasets';
import type { SuppliedRoles } from '@metarec/evaluation';

/** The columns a split file must name in its header (others are ignored). */
export const SPLIT_FILE_COLUMNS = ['kind', 'id', 'role'] as const;

/** Roles a split file may give, per kind of row: users are training or new, items existing or new. */
export const SPLIT_FILE_ROLES = { user: ['training', 'new'], item: ['existing', 'new'] } as const;

type Kind = keyof typeof SPLIT_FILE_ROLES;

/** The ids a split file is read against: a data set's users and items, in row order. */
export interface SplitFileIds {
  readonly users: readonly { readonly user_id: string }[];
  readonly items: readonly { readonly item_id: string }[];
}

/** A split file resolved against a data set: one role flag per user and, when the file lists items, per item. */
export interface SplitFile {
  readonly path: string;
  /** 1 for each user listed as `new`; unlisted users are training users. */
  readonly isTestUser: Uint8Array;
  /** 1 for each item listed as `new`, 0 otherwise; undefined when the file lists no item (items then follow the data set's rule). */
  readonly isNewItem: Uint8Array | undefined;
  /** Rows read per kind and role. */
  readonly listed: { readonly user: { readonly training: number; readonly new: number }; readonly item: { readonly existing: number; readonly new: number } };
}

/** Where a row is, for messages: `file:line: column c (name): reason`. */
function rowError(file: TabularFile, row: number, column: number, reason: string): DatasetError {
  const line = file.lineOf(row);
  const label = columnLabel(file, column);
  return new DatasetError('DS_MALFORMED_LINE', `${file.file}:${line}: column ${label}: ${reason}`, { file: file.file, line, column: label });
}

function headerPositions(file: TabularFile): Record<(typeof SPLIT_FILE_COLUMNS)[number], number> {
  const names = file.columns.map((c) => c.trim().toLowerCase());
  const missing = SPLIT_FILE_COLUMNS.filter((c) => !names.includes(c));
  if (missing.length > 0) {
    throw new DatasetError(
      'DS_COLUMN_MISSING',
      `${file.file}:1: the header has no column ${missing.map((c) => `"${c}"`).join(', ')} (found ${file.columns.map((c) => `"${c}"`).join(', ')}); a split file starts with the header line kind,id,role`,
      { file: file.file, line: 1, column: missing.join(',') },
    );
  }
  return { kind: names.indexOf('kind'), id: names.indexOf('id'), role: names.indexOf('role') };
}

/**
 * Reads a split file (CSV or TSV, or another detected separator; header required) of rows
 * `kind,id,role`: `user` rows with role `training` or `new`, `item` rows with `existing` or `new`,
 * ids as the data set spells them. Unlisted users are training users; unlisted items are existing
 * when the file lists any item, and follow the data set's own rule when it lists none.
 * @throws DatasetError naming file, line and column: `DS_FILE_MISSING`, `DS_FILE_EMPTY`,
 *   `DS_COLUMN_MISSING` (no kind/id/role header), `DS_MALFORMED_LINE` (unknown kind, bad role, an
 *   id not in the data set, an id listed twice, a missing cell); `DS_INVALID_OPTION` when no user
 *   is new (nothing to evaluate), every user is new (nothing to train on) or every item is new.
 */
export async function readSplitFile(path: string, ids: SplitFileIds): Promise<SplitFile> {
  const file = await openTabularFile({ path, format: 'delimited', header: 'present' });
  const at = headerPositions(file);
  const index: Record<Kind, Map<string, number>> = {
    user: new Map(ids.users.map((u, k) => [u.user_id, k])),
    item: new Map(ids.items.map((i, k) => [i.item_id, k])),
  };
  const flags: Record<Kind, Uint8Array> = { user: new Uint8Array(ids.users.length), item: new Uint8Array(ids.items.length) };
  const firstLine: Record<Kind, Map<number, number>> = { user: new Map(), item: new Map() };
  const listed = { user: { training: 0, new: 0 }, item: { existing: 0, new: 0 } };
  for (let row = 0; row < file.rowCount; row++) {
    const split = file.cells(row);
    if (!split.ok) {
      throw rowError(file, row, split.fieldIndex, split.reason);
    }
    const cell = (column: number): string => {
      const value = split.cells[column];
      if (value === undefined || String(value).trim() === '') {
        throw rowError(file, row, column, 'missing');
      }
      return String(value).trim();
    };
    const kind = cell(at.kind);
    if (kind !== 'user' && kind !== 'item') {
      throw rowError(file, row, at.kind, `unknown kind "${kind}" (user or item)`);
    }
    const id = cell(at.id);
    const role = cell(at.role);
    const roles: readonly string[] = SPLIT_FILE_ROLES[kind];
    if (!roles.includes(role)) {
      throw rowError(file, row, at.role, `bad ${kind} role "${role}" (${roles.join(' or ')})`);
    }
    const k = index[kind].get(id);
    if (k === undefined) {
      throw rowError(file, row, at.id, `${kind} id "${id}" is not in the data set (${index[kind].size} ${kind}s)`);
    }
    const first = firstLine[kind].get(k);
    if (first !== undefined) {
      throw rowError(file, row, at.id, `${kind} "${id}" is listed twice (first on line ${first})`);
    }
    firstLine[kind].set(k, file.lineOf(row));
    flags[kind][k] = role === 'new' ? 1 : 0;
    (listed[kind] as Record<string, number>)[role]++;
  }
  assertSomethingToEvaluate(path, listed, ids);
  const listsItems = listed.item.existing + listed.item.new > 0;
  return { path, isTestUser: flags.user, isNewItem: listsItems ? flags.item : undefined, listed };
}

function assertSomethingToEvaluate(path: string, listed: SplitFile['listed'], ids: SplitFileIds): void {
  if (listed.user.new === 0) {
    throw new DatasetError('DS_INVALID_OPTION', `${path}: no user has role "new": nothing to evaluate (list the new users as user,<id>,new)`, { file: path });
  }
  if (listed.user.new === ids.users.length) {
    throw new DatasetError('DS_INVALID_OPTION', `${path}: all ${ids.users.length} users are new: no training user left`, { file: path });
  }
  if (listed.item.new === ids.items.length) {
    throw new DatasetError('DS_INVALID_OPTION', `${path}: all ${ids.items.length} items are new: no existing item left`, { file: path });
  }
}

/** The split file's roles as the evaluation takes them, its path as their source. */
export function splitFileRoles(split: SplitFile): SuppliedRoles {
  return { isTestUser: split.isTestUser, isNewItem: split.isNewItem, source: split.path };
}

/** One line for the terminal: what the file lists and how unlisted rows are taken. */
export function describeSplitFile(split: SplitFile): string {
  const { user, item } = split.listed;
  const items =
    split.isNewItem === undefined
      ? 'no items listed (new items follow the data set rule)'
      : `items: ${item.new} new, ${item.existing} listed existing, ${split.isNewItem.length - item.new - item.existing} unlisted (existing)`;
  return `split file ${split.path}: users: ${user.new} new, ${user.training} listed training, ${split.isTestUser.length - user.new - user.training} unlisted (training); ${items}`;
}
