import { EvalConfigError } from '../errors.js';
import type { EvalTask, TrainingSet } from './eval-task.js';
import { trainingSetFromTasks } from './eval-task.js';
import { newItemMask } from './new-item-mask.js';
import type { RoleOrigin, SuppliedRoles } from './supplied-roles.js';
import { assertValidSuppliedRoles, roleOrigins } from './supplied-roles.js';
import type { RatingsTable, UserIndex } from './ratings-table.js';
import { indexByUser } from './ratings-table.js';
import type { Scenario } from './scenario.js';
import { ALL_SCENARIOS, SCENARIOS } from './scenario.js';
import { SeededRng } from '@metarec/runtime';
import { sampleNegatives } from './negative-sampler.js';

/** Options of MeLU's protocol; defaults are the paper's and the PyTorch reference's. */
export interface ColdStartSplitOptions {
  /** A user's ratings in a scenario are kept when at least this many remain. @defaultValue 13 */
  readonly minRatings?: number;
  /** …and at most this many. @defaultValue 100 */
  readonly maxRatings?: number;
  /** Query items per task (random rated items). @defaultValue 10 */
  readonly queryCount?: number;
  /** Cap on the support set (the rest of the user's ratings). @defaultValue 90 */
  readonly maxSupport?: number;
  /** Share of users held out as new users. @defaultValue 0.2 */
  readonly testUserFraction?: number;
  /** Latest share of release dates that counts as new items. @defaultValue 0.2 */
  readonly newItemFraction?: number;
  /** Explicit release-date cut (ms since epoch) overriding `newItemFraction`. */
  readonly newItemFromMs?: number;
  /** Sampled unrated items per task for the ranking metrics. @defaultValue 100 */
  readonly negativeCount?: number;
  /**
   * Roles taken as given instead of drawn: supplied users replace the random draw
   * (`testUserFraction` unused), supplied items replace the release-date rule (`newItemFraction`
   * unused; `newItemFromMs` may not be given with them). Tasks, query/support cut and negatives
   * are built as usual, from `seed`.
   */
  readonly roles?: SuppliedRoles;
}

type ResolvedSplitOptions = Required<Omit<ColdStartSplitOptions, 'newItemFromMs' | 'roles'>>;

/** Defaults of {@link ColdStartSplitOptions}. */
export const DEFAULT_COLD_START_SPLIT_OPTIONS: ResolvedSplitOptions = {
  minRatings: 13,
  maxRatings: 100,
  queryCount: 10,
  maxSupport: 90,
  testUserFraction: 0.2,
  newItemFraction: 0.2,
  negativeCount: 100,
};

/** One seed's split: who is new, what is new, the training rows, and each scenario's tasks. */
export interface ColdStartSplit {
  readonly seed: number;
  readonly isTestUser: Uint8Array;
  readonly isNewItem: Uint8Array;
  /** The release-date cut of the new items; NaN when the items' roles were supplied. */
  readonly newItemCutoffMs: number;
  /** Whether each side's roles were drawn by the protocol or supplied (`options.roles`). */
  readonly roleOrigins: { readonly users: RoleOrigin; readonly items: RoleOrigin };
  /** Items of each pool (existing / new): the catalogue a scenario ranks from. */
  readonly itemPools: { readonly existing: Int32Array; readonly new: Int32Array };
  /** Training data: the support sets of the warm tasks only (warm queries stay held out). */
  readonly training: TrainingSet;
  readonly scenarios: Readonly<Record<Scenario, readonly EvalTask[]>>;
}

function validate(o: ResolvedSplitOptions): void {
  const bad = (field: string, v: number): never => {
    throw new EvalConfigError('EVAL_CONFIG_INVALID', `ColdStartSplitOptions.${field} is invalid: ${v}`);
  };
  if (!(o.queryCount >= 1 && o.queryCount < o.minRatings)) {
    bad('queryCount (need 1 <= queryCount < minRatings, so support is non-empty)', o.queryCount);
  }
  if (!(o.maxRatings >= o.minRatings)) {
    bad('maxRatings', o.maxRatings);
  }
  if (!(o.maxSupport >= 1)) {
    bad('maxSupport', o.maxSupport);
  }
  if (!(o.testUserFraction > 0 && o.testUserFraction < 1)) {
    bad('testUserFraction', o.testUserFraction);
  }
  if (!(o.negativeCount >= 0)) {
    bad('negativeCount', o.negativeCount);
  }
}

/**
 * Builds MeLU's cold-start split for one seed: users 80/20 at random, items existing/new by
 * release date — or either side as supplied in `options.roles`; per scenario each user's ratings
 * restricted to the scenario's items, kept if `minRatings..maxRatings` remain, query =
 * `queryCount` random ones, support = the rest (capped). Users are only "rated" on items they
 * rated anywhere in `table`, so negatives are truly unrated. Deterministic in `seed`.
 * Throws `EvalConfigError` on invalid options (supplied roles of the wrong length, or not 0/1).
 */
export function buildColdStartSplit(table: RatingsTable, seed: number, options: ColdStartSplitOptions = {}): ColdStartSplit {
  const o = { ...DEFAULT_COLD_START_SPLIT_OPTIONS, ...options };
  validate(o);
  const roles = options.roles ?? {};
  assertValidSuppliedRoles(roles, table.userCount, table.itemCount);
  if (roles.isNewItem !== undefined && options.newItemFromMs !== undefined) {
    throw new EvalConfigError('EVAL_CONFIG_INVALID', 'ColdStartSplitOptions.newItemFromMs cannot be given with roles.isNewItem: the supplied items decide which are new');
  }
  const rng = new SeededRng(seed);
  const { mask: isNewItem, cutoffMs } = roles.isNewItem === undefined ? newItemMask(table.itemReleaseMs, o.newItemFraction, options.newItemFromMs) : { mask: roles.isNewItem.slice(), cutoffMs: Number.NaN };
  // The draw is made even when users are supplied, so the random stream behind the tasks is the
  // same either way: supplying a split's own roles reproduces its tasks exactly.
  const perm = rng.permutation(table.userCount);
  const isTestUser = roles.isTestUser === undefined ? drawTestUsers(perm, o.testUserFraction) : roles.isTestUser.slice();
  const pools = itemPools(isNewItem);
  const index = indexByUser(table);
  const scenarios = {} as Record<Scenario, EvalTask[]>;
  for (const scenario of ALL_SCENARIOS) {
    scenarios[scenario] = scenarioTasks(table, index, scenario, isTestUser, isNewItem, pools, rng, o);
  }
  const training = trainingSetFromTasks(scenarios.warm, table.userCount, table.itemCount);
  return { seed, isTestUser, isNewItem, newItemCutoffMs: cutoffMs, roleOrigins: roleOrigins(options.roles), itemPools: pools, training, scenarios };
}

function drawTestUsers(perm: ArrayLike<number>, fraction: number): Uint8Array {
  const isTestUser = new Uint8Array(perm.length);
  const testCount = Math.round(fraction * perm.length);
  for (let k = 0; k < testCount; k++) {
    isTestUser[perm[k]] = 1;
  }
  return isTestUser;
}

function itemPools(isNewItem: Uint8Array): { existing: Int32Array; new: Int32Array } {
  const existing: number[] = [];
  const fresh: number[] = [];
  isNewItem.forEach((flag, i) => (flag ? fresh : existing).push(i));
  return { existing: Int32Array.from(existing), new: Int32Array.from(fresh) };
}

function scenarioTasks(
  table: RatingsTable,
  index: UserIndex,
  scenario: Scenario,
  isTestUser: Uint8Array,
  isNewItem: Uint8Array,
  pools: { existing: Int32Array; new: Int32Array },
  rng: SeededRng,
  o: ResolvedSplitOptions,
): EvalTask[] {
  const { coldUser, coldItem } = SCENARIOS[scenario];
  const pool = coldItem ? pools.new : pools.existing;
  const rated = new Uint8Array(table.itemCount);
  const tasks: EvalTask[] = [];
  for (let u = 0; u < table.userCount; u++) {
    if ((isTestUser[u] === 1) !== coldUser) {
      continue;
    }
    const rows: number[] = [];
    for (let k = index.offsets[u]; k < index.offsets[u + 1]; k++) {
      const r = index.order[k];
      if ((isNewItem[table.items[r]] === 1) === coldItem) {
        rows.push(r);
      }
    }
    if (rows.length < o.minRatings || rows.length > o.maxRatings) {
      continue;
    }
    const p = rng.permutation(rows.length);
    const supportCount = Math.min(rows.length - o.queryCount, o.maxSupport);
    const pick = (from: number, count: number): { items: Int32Array; ratings: Float32Array } => {
      const items = new Int32Array(count);
      const ratings = new Float32Array(count);
      for (let k = 0; k < count; k++) {
        const r = rows[p[from + k]];
        items[k] = table.items[r];
        ratings[k] = table.ratings[r];
      }
      return { items, ratings };
    };
    const query = pick(0, o.queryCount);
    const support = pick(o.queryCount, supportCount);
    for (let k = index.offsets[u]; k < index.offsets[u + 1]; k++) {
      rated[table.items[index.order[k]]] = 1;
    }
    const negatives = sampleNegatives(pool, rated, o.negativeCount, rng);
    for (let k = index.offsets[u]; k < index.offsets[u + 1]; k++) {
      rated[table.items[index.order[k]]] = 0;
    }
    tasks.push({
      scenario,
      user: u,
      supportItems: support.items,
      supportRatings: support.ratings,
      queryItems: query.items,
      queryRatings: query.ratings,
      negatives,
    });
  }
  return tasks;
}
