import type { UserDraft } from '../dataset/profile-drafts.js';
import { DatasetError } from '../errors.js';
import type { BadRowLog } from './bad-rows.js';
import { cellId, isEmptyCell } from './cell-values.js';
import { COLUMN_ALIASES, findColumn } from './column-roles.js';
import type { IdIndex } from './id-index.js';
import { columnLabel, openTabularFile } from './tabular-file.js';
import type { TabularFile, TabularFileOptions } from './tabular-file.js';

/** The categorical user attributes of `UserProfile` (schema v1), each one embedding in the model. */
export const USER_ATTRIBUTES = ['age_bucket', 'gender', 'occupation', 'region'] as const;
/** See {@link USER_ATTRIBUTES}. */
export type UserAttribute = (typeof USER_ATTRIBUTES)[number];

/** Header names taken for each attribute when `attributeColumns` does not name one. */
const ATTRIBUTE_ALIASES: Readonly<Record<UserAttribute, readonly string[]>> = {
  age_bucket: ['age_bucket', 'age', 'agegroup'],
  gender: ['gender', 'sex'],
  occupation: ['occupation', 'job'],
  region: ['region', 'zip', 'zipcode', 'country', 'location'],
};

/** A user side-feature file: one row per user, categorical columns. */
export interface UserFeaturesFileOptions extends TabularFileOptions {
  /** Header name of the user id column. @defaultValue the first of `user`, `user_id`, `userId`, `uid`, … */
  readonly idColumn?: string;
  /**
   * Which column fills which attribute of the profile. Values are labels, used as they are
   * (a numeric column such as an exact age becomes one label per value: bucket it first).
   * @defaultValue columns named like the attribute (`age_bucket`/`age`, `gender`/`sex`, `occupation`/`job`, `region`/`zip`/`country`)
   */
  readonly attributeColumns?: Partial<Record<UserAttribute, string>>;
}

/**
 * Reads a user side-feature file into profile drafts (rows interned into `users` in file order;
 * attributes without a column, or with an empty cell, are null).
 * @throws DatasetError `DS_COLUMN_MISSING`, `DS_MALFORMED_HEADER`, `DS_FILE_*`, and
 *   `DS_MALFORMED_LINE` via `badRows` (wrong field count, empty id, a user listed twice) under `fail`.
 */
export async function readUserFeaturesFile(options: UserFeaturesFileOptions, users: IdIndex, badRows: BadRowLog): Promise<Map<number, UserDraft>> {
  const file = await openTabularFile(options);
  const idColumn = findColumn(file, 'user id', options.idColumn, COLUMN_ALIASES.user, true) as number;
  const attributes = attributeIndices(file, options);
  const drafts = new Map<number, UserDraft>();
  for (let row = 0; row < file.rowCount; row++) {
    const line = file.lineOf(row);
    const split = file.cells(row);
    if (!split.ok || split.cells.length !== file.columns.length) {
      const index = split.ok ? Math.min(split.cells.length, file.columns.length) : split.fieldIndex;
      badRows.report({ file: file.file, line, column: columnLabel(file, index), reason: split.ok ? `expected ${file.columns.length} fields, got ${split.cells.length}` : split.reason });
      continue;
    }
    const id = cellId(split.cells[idColumn]);
    if (!id.ok) {
      badRows.report({ file: file.file, line, column: columnLabel(file, idColumn), reason: id.reason });
      continue;
    }
    const rowOfUser = users.intern(id.value);
    if (drafts.has(rowOfUser)) {
      badRows.report({ file: file.file, line, column: columnLabel(file, idColumn), reason: `user ${id.value} is listed twice` });
      continue;
    }
    const label = (attribute: UserAttribute): string | null => {
      const index = attributes[attribute];
      const cell = index === undefined ? null : split.cells[index];
      return isEmptyCell(cell) ? null : String(cell).trim();
    };
    drafts.set(rowOfUser, { user_id: id.value, age_bucket: label('age_bucket'), gender: label('gender'), occupation: label('occupation'), region: label('region') });
  }
  return drafts;
}

function attributeIndices(file: TabularFile, options: UserFeaturesFileOptions): Partial<Record<UserAttribute, number>> {
  const configured = options.attributeColumns ?? {};
  for (const key of Object.keys(configured)) {
    if (!(USER_ATTRIBUTES as readonly string[]).includes(key)) {
      throw new DatasetError('DS_INVALID_OPTION', `user attribute "${key}" is not one of ${USER_ATTRIBUTES.join(', ')}`);
    }
  }
  const out: Partial<Record<UserAttribute, number>> = {};
  for (const attribute of USER_ATTRIBUTES) {
    out[attribute] = findColumn(file, attribute, configured[attribute], ATTRIBUTE_ALIASES[attribute], false);
  }
  return out;
}
