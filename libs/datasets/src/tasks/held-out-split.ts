import { hashString } from '@metarec/runtime';

/** Which part of a run a user's task belongs to. */
export type UserSplit = 'train' | 'validation' | 'test';

/** Shares of users held out, and the seed of the hash that assigns them. */
export interface HeldOutSplitOptions {
  /** Seed mixed into the user-id hash. */
  readonly splitSeed: number;
  /** Share of users in validation, in [0, 1]. */
  readonly validationFraction: number;
  /** Share of users in test, in [0, 1]; validation + test at most 1. */
  readonly testFraction: number;
}

/**
 * Train / validation / test by a seeded hash of the user id, so a user's part never depends on
 * which other users exist (new data does not move old users between parts). The one split of
 * training's record-based data and of the studies that reproduce it.
 */
export function userSplitOf(userId: string, options: HeldOutSplitOptions): UserSplit {
  const u = (hashString(`${options.splitSeed}:${userId}`) >>> 0) / 4294967296;
  if (u < options.testFraction) {
    return 'test';
  }
  return u < options.testFraction + options.validationFraction ? 'validation' : 'train';
}
