import { score, type AdaptedUser } from '@metarec/meta-learning';
import type { ItemProfile } from '@metarec/schemas';

import type { ItemDerivedCache } from '../cache/item-derived-cache.js';
import { TtlLru } from '../cache/ttl-lru.js';
import type { ServingModel } from '../model/serving-model.js';
import type { RequestTimer } from './request-timings.js';
import { ScoreMemo, userFieldsKey } from './score-memo.js';

/** What scoring one request's candidates needs. */
export interface ScoringInput {
  readonly model: ServingModel;
  readonly ids: readonly string[];
  /** Profiles of `ids`, same order. */
  readonly profiles: readonly (ItemProfile | null)[];
  readonly userFields: Int32Array;
  /** The item catalog's content epoch the profiles were read under. */
  readonly epoch: number;
  readonly timer: RequestTimer;
}

/** Bounds of {@link CandidateScorer} (validated by the `Recommender`). */
export interface CandidateScorerBounds {
  /** Distinct user-feature combinations with a prior memo (0: off). */
  readonly priorMemoUsers: number;
  /** Longest candidate list a memo keeps (0: off). */
  readonly scoreMemoEntries: number;
}

/**
 * Scores a request's candidates with one user model: memoised scores where its `ScoreMemo` has
 * them, and one batched `score` over the rest, their feature rows copied from the request path's
 * `ItemDerivedCache` (encoded once per model and catalog epoch, shared with onboarding).
 * Synchronous: a cached user model cannot be disposed while it scores.
 */
export class CandidateScorer {
  private priorMemos: { model: ServingModel; memos: TtlLru<string, ScoreMemo> } | null = null;

  constructor(
    private readonly bounds: CandidateScorerBounds,
    private readonly items: ItemDerivedCache,
  ) {}

  /** Scores of every candidate in `input.ids` order; remembered in `memo` (when given) for the next request. */
  scoreWith(user: AdaptedUser, memo: ScoreMemo | null, input: ScoringInput): Float32Array {
    const { model, ids, profiles, timer } = input;
    const scores = new Float32Array(ids.length);
    const userKey = memo === null ? '' : userFieldsKey(input.userFields);
    const missing = memo === null ? null : memo.lookup(userKey, input.epoch, ids, scores);
    if (missing === null || missing.length > 0) {
      const toScore = missing === null ? ids : missing.map((i) => ids[i]);
      const rows = this.items.rows(model, input.epoch, toScore, missing === null ? profiles : missing.map((i) => profiles[i]));
      timer.lap('encode');
      const fresh = score(user, input.userFields, rows);
      if (missing === null) {
        scores.set(fresh);
      } else {
        missing.forEach((i, k) => (scores[i] = fresh[k]));
      }
      memo?.remember(userKey, input.epoch, ids, scores);
    }
    // Nothing missing: the memo already holds every score of this list and keeps its own arrays.
    // Swapping in this request's arrays would only move ~6 KB per request into the old
    // generation (a memo outlives the next scavenge), which is what made scavenges slow.
    timer.lap('score');
    return scores;
  }

  /** Scores with the model's prior, memoised per user-feature combination (anonymous cold users share one). */
  scoreWithPrior(input: ScoringInput): Float32Array {
    return this.scoreWith(input.model.prior, this.priorMemo(input.model, input.userFields), input);
  }

  /** The prior's memo of this request's user-feature combination (null when memos are off). */
  priorMemoOf(input: ScoringInput): ScoreMemo | null {
    return this.priorMemo(input.model, input.userFields);
  }

  /** Remembers scores computed without a memo (a fresh adaptation) in the memo its user model got. */
  remember(memo: ScoreMemo | null, input: ScoringInput, scores: Float32Array): void {
    memo?.remember(userFieldsKey(input.userFields), input.epoch, input.ids, scores);
  }

  private priorMemo(model: ServingModel, userFields: Int32Array): ScoreMemo | null {
    if (this.bounds.priorMemoUsers === 0 || this.bounds.scoreMemoEntries === 0) {
      return null;
    }
    if (this.priorMemos?.model !== model) {
      this.priorMemos = { model, memos: new TtlLru(this.bounds.priorMemoUsers, Number.POSITIVE_INFINITY) };
    }
    const key = userFieldsKey(userFields);
    let memo = this.priorMemos.memos.fresh(key, 0);
    if (memo === undefined) {
      memo = new ScoreMemo(this.bounds.scoreMemoEntries);
      this.priorMemos.memos.set(key, memo, 0);
    }
    return memo;
  }
}
