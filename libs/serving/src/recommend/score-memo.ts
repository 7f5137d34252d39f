/**
 * The scores one user model gave its last request's candidates, so a repeat request rescores only
 * candidates it has not scored yet. A score is a pure function of (user parameters, user features,
 * item features): the memo lives beside the user parameters it was computed with (dropped with
 * them on new interactions, feedback, TTL, eviction or a model swap) and empties itself when the
 * user's encoded features (`userKey`) or the item catalog's content epoch differ from the ones it
 * was filled under.
 *
 * It keeps the last candidate list as it came (an array of the shared id strings) and its scores
 * (a Float32Array, off the JS heap): ~6 KB per user at 500 candidates, and few old-generation
 * objects for the garbage collector to mark (a Map per user cost ~40 KB and 500 entries to mark).
 * The common repeat (same candidates, same order) is one pass of string comparisons.
 */
export class ScoreMemo {
  private ids: readonly string[] = [];
  private scores: Float32Array = new Float32Array(0);
  private userKey = '';
  private epoch = -1;
  /** The list order of `ids` (a list head's scores), when one was remembered for exactly this list. */
  private order: Float32Array | null = null;

  /** @param maxEntries longest candidate list remembered (a longer one is not memoised). */
  constructor(private readonly maxEntries: number) {}

  /** Scores held. */
  get size(): number {
    return this.ids.length;
  }

  /**
   * Writes the known scores of `ids` into `out` and returns the indices of the others (to score).
   * A different `userKey` or `epoch` than the memo was filled under empties it first.
   */
  lookup(userKey: string, epoch: number, ids: readonly string[], out: Float32Array): number[] {
    if (userKey !== this.userKey || epoch !== this.epoch) {
      this.forget(userKey, epoch);
    }
    if (this.sameList(ids)) {
      out.set(this.scores);
      return [];
    }
    const known = new Map<string, number>();
    this.ids.forEach((id, i) => known.set(id, i));
    const missing: number[] = [];
    for (let i = 0; i < ids.length; i++) {
      const at = known.get(ids[i]);
      if (at === undefined) {
        missing.push(i);
      } else {
        out[i] = this.scores[at];
      }
    }
    return missing;
  }

  /**
   * Remembers `scores` of `ids` (a request's full candidate list), filled under `userKey` and
   * `epoch`. Keeps both by reference: the caller must not change them afterwards.
   */
  remember(userKey: string, epoch: number, ids: readonly string[], scores: Float32Array): void {
    if (ids.length > this.maxEntries || scores.length !== ids.length) {
      this.forget(userKey, epoch);
      return;
    }
    this.userKey = userKey;
    this.epoch = epoch;
    this.ids = ids;
    this.scores = scores;
    this.order = null;
  }

  /**
   * The order remembered for this very list (same ids in the same order, under the key and epoch of
   * the last `lookup`), else null. A list head's order depends on the whole list (features are
   * standardised within it) and on the user's items, which the memo's owner fixes.
   */
  orderOf(ids: readonly string[]): Float32Array | null {
    return this.order !== null && this.sameList(ids) ? this.order : null;
  }

  /** Remembers `order` for `ids` when they are the list whose scores the memo holds (kept by reference). */
  rememberOrder(ids: readonly string[], order: Float32Array): void {
    if (this.sameList(ids) && order.length === ids.length) {
      this.order = order;
    }
  }

  private forget(userKey: string, epoch: number): void {
    this.userKey = userKey;
    this.epoch = epoch;
    this.ids = [];
    this.scores = new Float32Array(0);
    this.order = null;
  }

  private sameList(ids: readonly string[]): boolean {
    if (ids.length !== this.ids.length || ids.length === 0) {
      return false;
    }
    for (let i = 0; i < ids.length; i++) {
      if (ids[i] !== this.ids[i]) {
        return false;
      }
    }
    return true;
  }
}

/** The key of a user's encoded features: scores memoised under another key are not reused. */
export function userFieldsKey(fields: Int32Array): string {
  return fields.join(',');
}
