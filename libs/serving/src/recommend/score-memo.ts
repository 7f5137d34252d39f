/**
 * Scores one user model gave to items, so a repeat request rescores only the candidates it has
 * not scored yet. A score is a pure function of (user parameters, user features, item features):
 * the memo lives beside the user parameters it was computed with (dropped with them on new
 * interactions, feedback or a model swap) and resets itself when the user's encoded features
 * (`userKey`) or the item catalog's content epoch differ from the ones it was filled under.
 * Memory: a Map of at most `maxEntries` numbers keyed by the (shared) item id strings, ~40 bytes
 * each, so ~80 KB per user at the 2,000 default, the size of MeLU's adapted parameters.
 */
export class ScoreMemo {
  private readonly scores = new Map<string, number>();
  private userKey = '';
  private epoch = -1;

  /** @param maxEntries scores kept; past it the memo restarts from the current request's. */
  constructor(private readonly maxEntries: number) {}

  get size(): number {
    return this.scores.size;
  }

  /**
   * Writes the known scores of `ids` into `out` and returns the indices of the others (to score).
   * A different `userKey` or `epoch` than the memo was filled under empties it first.
   */
  lookup(userKey: string, epoch: number, ids: readonly string[], out: Float32Array): number[] {
    if (userKey !== this.userKey || epoch !== this.epoch) {
      this.scores.clear();
      this.userKey = userKey;
      this.epoch = epoch;
    }
    const missing: number[] = [];
    for (let i = 0; i < ids.length; i++) {
      const score = this.scores.get(ids[i]);
      if (score === undefined) {
        missing.push(i);
      } else {
        out[i] = score;
      }
    }
    return missing;
  }

  /** Replaces the memo's content with `scores` of `ids`, filled under `userKey` and `epoch`. */
  fill(userKey: string, epoch: number, ids: readonly string[], scores: Float32Array): void {
    this.scores.clear();
    this.userKey = userKey;
    this.epoch = epoch;
    const n = Math.min(ids.length, scores.length, this.maxEntries);
    for (let i = 0; i < n; i++) {
      this.scores.set(ids[i], scores[i]);
    }
  }

  /** Remembers `scores[k]` for `ids[indices[k]]` (call right after `lookup`, with its key and epoch). */
  store(ids: readonly string[], indices: readonly number[], scores: Float32Array): void {
    if (this.scores.size + indices.length > this.maxEntries) {
      this.scores.clear();
    }
    for (let k = 0; k < indices.length && this.scores.size < this.maxEntries; k++) {
      this.scores.set(ids[indices[k]], scores[k]);
    }
  }
}

/** The key of a user's encoded features: scores memoised under another key are not reused. */
export function userFieldsKey(fields: Int32Array): string {
  return fields.join(',');
}
