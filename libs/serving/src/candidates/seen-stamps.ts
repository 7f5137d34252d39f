/**
 * Stamps above this restart the map: V8 stores integers below 2^30 unboxed (Smi) on every
 * platform, so writing a stamp into an existing entry allocates nothing.
 */
const MAX_GENERATION = 2 ** 30 - 1;

/**
 * A reusable "seen in this pass" set of ids: one long-lived map from id to the pass (generation)
 * that last marked it. `begin()` starts a new pass by bumping the generation, so clearing costs
 * nothing and re-marking a known id allocates nothing, unlike a fresh `Set` per pass (whose growth
 * was ~100 MB of garbage per 5,000 candidate requests).
 *
 * Bounded: ids may come from clients (request excludes), so once the map holds more than
 * `maxKeys` ids, the next `begin()` starts a fresh map. A pass must not be interleaved with
 * another: callers use it only between `begin()` and their next `await`.
 */
export class SeenStamps {
  private stamps = new Map<string, number>();
  private generation = 0;

  /** @param maxKeys ids kept across passes; beyond, `begin()` starts a fresh map (one pass may exceed it). */
  constructor(private readonly maxKeys: number) {}

  /** Ids currently held (marked in this or an earlier pass). */
  get size(): number {
    return this.stamps.size;
  }

  /** Starts a new pass: nothing is marked. */
  begin(): void {
    if (this.stamps.size > this.maxKeys || this.generation >= MAX_GENERATION) {
      this.stamps = new Map();
      this.generation = 0;
    }
    this.generation += 1;
  }

  /** Marks `id` as seen in this pass. */
  mark(id: string): void {
    this.stamps.set(id, this.generation);
  }

  /** True when `id` was marked in this pass. */
  has(id: string): boolean {
    return this.stamps.get(id) === this.generation;
  }

  /** Marks `id`; true when it was not yet marked in this pass (as `Set.add` on a set that lacked it). */
  add(id: string): boolean {
    if (this.stamps.get(id) === this.generation) {
      return false;
    }
    this.stamps.set(id, this.generation);
    return true;
  }
}
