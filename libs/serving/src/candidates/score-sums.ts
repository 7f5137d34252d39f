/** Slots of the first pass; doubled as needed. */
const INITIAL_SLOTS = 256;

/**
 * Scores summed per id over one pass, in first-seen order, on long-lived storage: a `Map` of sums
 * built per merge was most of a co-occurrence merge's garbage (~15 KB at 250 ids, mostly its
 * growth). `slotOf` remembers the slot an id was last given; it is this pass's slot only if the
 * slot was handed out in this pass and holds that id, so no clearing is needed between passes.
 * Bounded like {@link SeenStamps}: past `maxKeys` ids, the next `begin()` starts a fresh map.
 */
export class ScoreSums {
  private slotOf = new Map<string, number>();
  private slotIds: string[] = [];
  private slotScores = new Float64Array(INITIAL_SLOTS);
  private used = 0;

  /** @param maxKeys ids remembered across passes. */
  constructor(private readonly maxKeys: number) {}

  /** Ids remembered across passes (at most `maxKeys` plus one pass's). */
  get remembered(): number {
    return this.slotOf.size;
  }

  /** Distinct ids of this pass. */
  get count(): number {
    return this.used;
  }

  /** Starts a new pass with no sums. */
  begin(): void {
    if (this.slotOf.size > this.maxKeys) {
      this.slotOf = new Map();
    }
    this.used = 0;
  }

  /** Adds `score` to `id`'s sum (`0 + score` on first sight, as `(sum ?? 0) + score` would). */
  add(id: string, score: number): void {
    const slot = this.slotOf.get(id);
    if (slot !== undefined && slot < this.used && this.slotIds[slot] === id) {
      this.slotScores[slot] += score;
      return;
    }
    if (this.used === this.slotScores.length) {
      const grown = new Float64Array(this.used * 2);
      grown.set(this.slotScores);
      this.slotScores = grown;
    }
    this.slotIds[this.used] = id;
    this.slotScores[this.used] = 0 + score;
    this.slotOf.set(id, this.used);
    this.used += 1;
  }

  /** The id of slot `slot` (< `count`), slots numbered in first-seen order. */
  id(slot: number): string {
    return this.slotIds[slot];
  }

  /** The sum of slot `slot` (< `count`). */
  sum(slot: number): number {
    return this.slotScores[slot];
  }
}
