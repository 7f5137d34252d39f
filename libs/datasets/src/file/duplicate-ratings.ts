import type { BadRowLog } from './bad-rows.js';
import type { ParsedRatings } from './ratings-file.js';

/**
 * Reports every rating of a (user, item) pair after its first as a bad row naming both lines (a
 * pair rated twice would put one item in both a support and a query set), and returns the ratings
 * without them. Linear: a counting sort by user, then an item stamp array.
 * @throws DatasetError `DS_MALFORMED_LINE` via `badRows` under `fail`.
 */
export function dropDuplicateRatings(ratings: ParsedRatings, userCount: number, itemCount: number, badRows: BadRowLog): ParsedRatings {
  const n = ratings.count;
  const starts = new Int32Array(userCount + 1);
  ratings.userRows.forEach((u) => starts[u + 1]++);
  for (let u = 0; u < userCount; u++) {
    starts[u + 1] += starts[u];
  }
  const byUser = new Int32Array(n);
  const cursor = starts.slice(0, userCount);
  for (let k = 0; k < n; k++) {
    byUser[cursor[ratings.userRows[k]]++] = k;
  }
  const firstOf = new Int32Array(itemCount).fill(-1);
  const duplicate = new Uint8Array(n);
  const found: number[] = [];
  for (let u = 0; u < userCount; u++) {
    for (let j = starts[u]; j < starts[u + 1]; j++) {
      const k = byUser[j];
      const item = ratings.itemRows[k];
      if (firstOf[item] >= 0) {
        duplicate[k] = 1;
        found.push(k);
      } else {
        firstOf[item] = k;
      }
    }
    for (let j = starts[u]; j < starts[u + 1]; j++) {
      firstOf[ratings.itemRows[byUser[j]]] = -1;
    }
  }
  if (found.length === 0) {
    return ratings;
  }
  reportInLineOrder(ratings, found, badRows);
  return keepRows(ratings, duplicate);
}

function reportInLineOrder(ratings: ParsedRatings, found: number[], badRows: BadRowLog): void {
  const firstLine = new Map<string, number>();
  for (let k = 0; k < ratings.count; k++) {
    const key = `${ratings.userRows[k]}:${ratings.itemRows[k]}`;
    if (!firstLine.has(key)) {
      firstLine.set(key, ratings.lines[k]);
    }
  }
  found.sort((a, b) => a - b);
  for (const k of found) {
    const first = firstLine.get(`${ratings.userRows[k]}:${ratings.itemRows[k]}`);
    badRows.report({ file: ratings.file, line: ratings.lines[k], reason: `this user already rated this item on line ${first}` });
  }
}

function keepRows(ratings: ParsedRatings, drop: Uint8Array): ParsedRatings {
  const keep = (_: number, k: number): boolean => drop[k] === 0;
  return {
    ...ratings,
    count: ratings.count - drop.reduce((a, b) => a + b, 0),
    userRows: ratings.userRows.filter(keep),
    itemRows: ratings.itemRows.filter(keep),
    values: ratings.values.filter(keep),
    timestampsMs: ratings.timestampsMs?.filter(keep),
    lines: ratings.lines.filter(keep),
  };
}
