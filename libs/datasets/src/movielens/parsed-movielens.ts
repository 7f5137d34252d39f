import type { ItemDraft, UserDraft } from '../dataset/profile-drafts.js';
import type { TextLines } from './text-file.js';
import { malformedLine, parseIntField, splitFields } from './text-file.js';

export type { ItemDraft, UserDraft } from '../dataset/profile-drafts.js';

/** Ratings as columns over the rows of the parsed users and items. */
export interface RatingColumns {
  readonly count: number;
  readonly userRows: Int32Array;
  readonly itemRows: Int32Array;
  readonly stars: Float32Array;
  readonly timestampsMs: Float64Array;
}

/** One MovieLens directory parsed, in file order. */
export interface ParsedMovieLens {
  readonly users: readonly UserDraft[];
  readonly items: readonly ItemDraft[];
  readonly ratings: RatingColumns;
}

/** Map of id → row, refusing duplicates with the offending line. */
export function indexIds(text: TextLines, ids: readonly string[], kind: string): Map<string, number> {
  const rows = new Map<string, number>();
  ids.forEach((id, row) => {
    if (rows.has(id)) {
      throw malformedLine(text, row, `duplicate ${kind} id ${id}`);
    }
    rows.set(id, row);
  });
  return rows;
}

/**
 * Parses rating lines `user<sep>item<sep>stars<sep>unix seconds` against known ids.
 * @throws DatasetError `DS_MALFORMED_LINE` for a wrong field count, a non-integer, stars outside
 *   1..5 or an id absent from the user/item files.
 */
export function parseRatings(text: TextLines, separator: string, userRows: ReadonlyMap<string, number>, itemRows: ReadonlyMap<string, number>): RatingColumns {
  const count = text.lines.length;
  const ratings = {
    count,
    userRows: new Int32Array(count),
    itemRows: new Int32Array(count),
    stars: new Float32Array(count),
    timestampsMs: new Float64Array(count),
  };
  for (let k = 0; k < count; k++) {
    const [user, item, stars, seconds] = splitFields(text, k, separator, 4);
    const userRow = userRows.get(user);
    const itemRow = itemRows.get(item);
    if (userRow === undefined) {
      throw malformedLine(text, k, `user id "${user}" is not in the user file`);
    }
    if (itemRow === undefined) {
      throw malformedLine(text, k, `item id "${item}" is not in the item file`);
    }
    const value = parseIntField(text, k, 'rating', stars);
    if (value < 1 || value > 5) {
      throw malformedLine(text, k, `rating must be 1..5, got ${value}`);
    }
    ratings.userRows[k] = userRow;
    ratings.itemRows[k] = itemRow;
    ratings.stars[k] = value;
    ratings.timestampsMs[k] = parseIntField(text, k, 'timestamp', seconds) * 1000;
  }
  return ratings;
}
