import { DatasetError } from '../errors.js';
import { hashString, mergeOptions, SeededRng } from '@metarec/runtime';

/** Interactions as the task builder reads them: parallel columns, one entry per interaction. */
export interface TaskInteractions {
  /** Row of each interaction's user in the user table (and in `userIds`). */
  readonly userRows: Int32Array;
  /** Row of each interaction's item in the item table. */
  readonly itemRows: Int32Array;
  /** Target of each interaction (stars, or 0/1). */
  readonly labels: Float32Array;
  /** Event times, epoch ms; required for `order: 'time'`. */
  readonly timestampsMs?: Float64Array;
}

/** How each user's interactions become a support and a query set. */
export interface TaskSplitOptions {
  /** Query items per user. @defaultValue 10 (MeLU) */
  readonly queryCount?: number;
  /** At most this many support items (random order: the next ones; time order: the latest before the query). @defaultValue Infinity */
  readonly supportCap?: number;
  /** Users with fewer kept interactions get no task. @defaultValue 13 (MeLU) */
  readonly minRatings?: number;
  /** Users with more kept interactions get no task. @defaultValue 100 (MeLU) */
  readonly maxRatings?: number;
  /** `random`: query = random interactions (MeLU); `time`: query = the latest ones. @defaultValue 'random' */
  readonly order?: 'random' | 'time';
  /** Seed of the random split; each user's split also depends on the user id only, not on other users. @defaultValue 0 */
  readonly seed?: number;
}

/** Defaults of {@link TaskSplitOptions}: MeLU's protocol. */
export const DEFAULT_TASK_SPLIT_OPTIONS: Required<TaskSplitOptions> = {
  queryCount: 10,
  supportCap: Infinity,
  minRatings: 13,
  maxRatings: 100,
  order: 'random',
  seed: 0,
};

/** One user's split, as indices into the interaction columns. */
export interface TaskSplit {
  readonly userRow: number;
  readonly support: Int32Array;
  readonly query: Int32Array;
}

/** Which users and items take part. */
export interface TaskFilter {
  /** Per user row: nonzero = build this user's task. @defaultValue every user */
  readonly userMask?: Uint8Array;
  /** Per item row: nonzero = keep interactions with this item (e.g. existing vs new items). @defaultValue every item */
  readonly itemMask?: Uint8Array;
}

/**
 * Groups interactions by user with a counting sort (index arrays, no object per interaction)
 * and splits each eligible user's interactions into disjoint query and support index sets.
 * Users are filtered on the count of interactions left after `itemMask`, as MeLU filters each
 * scenario. Tasks come out in user-row order.
 * @param userIds id of each user row: seeds that user's random split.
 * @throws DatasetError `DS_INVALID_OPTION` for inconsistent options, `DS_INVALID_INPUT` for bad columns.
 */
export function splitUserTasks(interactions: TaskInteractions, userIds: readonly string[], options: TaskSplitOptions = {}, filter: TaskFilter = {}): TaskSplit[] {
  const o = mergeOptions(DEFAULT_TASK_SPLIT_OPTIONS, options);
  validate(o, interactions);
  const { userRows, itemRows } = interactions;
  const userCount = userIds.length;
  const counts = new Int32Array(userCount + 1);
  const kept = new Uint8Array(userRows.length);
  for (let k = 0; k < userRows.length; k++) {
    const u = userRows[k];
    if (u < 0 || u >= userCount) {
      throw new DatasetError('DS_INVALID_INPUT', `userRows[${k}] = ${u} is outside 0..${userCount - 1}`);
    }
    if (filter.itemMask === undefined || filter.itemMask[itemRows[k]] !== 0) {
      kept[k] = 1;
      counts[u + 1]++;
    }
  }
  for (let u = 0; u < userCount; u++) {
    counts[u + 1] += counts[u];
  }
  const grouped = new Int32Array(counts[userCount]);
  const cursor = counts.slice(0, userCount);
  for (let k = 0; k < userRows.length; k++) {
    if (kept[k] === 1) {
      grouped[cursor[userRows[k]]++] = k;
    }
  }
  const tasks: TaskSplit[] = [];
  for (let u = 0; u < userCount; u++) {
    const n = counts[u + 1] - counts[u];
    if (n < o.minRatings || n > o.maxRatings || (filter.userMask !== undefined && filter.userMask[u] === 0)) {
      continue;
    }
    const mine = grouped.slice(counts[u], counts[u + 1]);
    tasks.push(o.order === 'time' ? splitByTime(u, mine, interactions.timestampsMs as Float64Array, o) : splitAtRandom(u, mine, userIds[u], o));
  }
  return tasks;
}

function splitAtRandom(userRow: number, mine: Int32Array, userId: string, o: Required<TaskSplitOptions>): TaskSplit {
  new SeededRng((hashString(userId) ^ Math.imul(o.seed >>> 0, 0x9e3779b1)) >>> 0).shuffle(mine);
  const query = mine.slice(0, o.queryCount);
  const support = mine.slice(o.queryCount, o.queryCount + Math.min(o.supportCap, mine.length));
  return { userRow, support, query };
}

function splitByTime(userRow: number, mine: Int32Array, timestampsMs: Float64Array, o: Required<TaskSplitOptions>): TaskSplit {
  // Ties broken by input position so the split is deterministic.
  mine.sort((x, y) => timestampsMs[x] - timestampsMs[y] || x - y);
  const cut = mine.length - o.queryCount;
  return { userRow, support: mine.slice(Math.max(0, cut - o.supportCap), cut), query: mine.slice(cut) };
}

function validate(o: Required<TaskSplitOptions>, interactions: TaskInteractions): void {
  const fail = (reason: string): never => {
    throw new DatasetError('DS_INVALID_OPTION', reason);
  };
  if (!Number.isInteger(o.queryCount) || o.queryCount < 1) {
    fail(`queryCount must be a positive integer, got ${o.queryCount}`);
  }
  if (!Number.isInteger(o.minRatings) || o.minRatings <= o.queryCount) {
    fail(`minRatings must be an integer above queryCount (${o.queryCount}) so every support set is non-empty, got ${o.minRatings}`);
  }
  if (o.maxRatings < o.minRatings) {
    fail(`maxRatings (${o.maxRatings}) must be at least minRatings (${o.minRatings})`);
  }
  if (!(o.supportCap >= 1)) {
    fail(`supportCap must be at least 1, got ${o.supportCap}`);
  }
  if (o.order !== 'random' && o.order !== 'time') {
    fail(`order must be "random" or "time", got ${String(o.order)}`);
  }
  const n = interactions.userRows.length;
  if (interactions.itemRows.length !== n || interactions.labels.length !== n || (interactions.timestampsMs !== undefined && interactions.timestampsMs.length !== n)) {
    throw new DatasetError('DS_INVALID_INPUT', 'userRows, itemRows, labels and timestampsMs must have equal lengths');
  }
  if (o.order === 'time' && interactions.timestampsMs === undefined) {
    fail('order "time" needs timestampsMs');
  }
}
