import { withTimeout } from '../features/feature-reader.js';

/** What {@link SharedList.get} returns: the list, and why it may be stale. */
export interface SharedListResult<T> {
  readonly items: readonly T[];
  /** Set when the read failed: the last good copy (or nothing) was returned. */
  readonly failure: unknown;
  /** True when no good copy existed when the read failed. */
  readonly empty: boolean;
}

/**
 * A store list every request shares (popular items, newest items): read at most once per `ttlMs`
 * and at least `depth` deep, one read in flight at a time (a burst at expiry shares it instead of
 * stampeding Redis), the last good copy served when a read fails.
 */
export class SharedList<T> {
  private copy: { items: readonly T[]; depth: number; fetchedAtMs: number } | null = null;
  private inFlight: { promise: Promise<readonly T[]>; depth: number } | null = null;

  constructor(
    private readonly read: (depth: number, nowMs: number) => Promise<readonly T[]>,
    private readonly what: string,
    private readonly ttlMs: number,
    private readonly timeoutMs: number,
  ) {}

  /**
   * The held copy when it is fresh and at least `depth` deep, else undefined: the warm path,
   * answered without a read or a promise.
   */
  peek(depth: number, nowMs: number): readonly T[] | undefined {
    const copy = this.copy;
    return copy !== null && nowMs - copy.fetchedAtMs < this.ttlMs && copy.depth >= depth ? copy.items : undefined;
  }

  /** The shared list, at least `depth` deep when the store has that many. */
  async get(depth: number, nowMs: number): Promise<SharedListResult<T>> {
    const copy = this.copy;
    const held = this.peek(depth, nowMs);
    if (held !== undefined) {
      return { items: held, failure: undefined, empty: false };
    }
    let read = this.inFlight;
    if (read === null || read.depth < depth) {
      const promise = withTimeout(this.read(depth, nowMs), this.timeoutMs, this.what).finally(() => {
        if (this.inFlight?.promise === promise) {
          this.inFlight = null;
        }
      });
      read = { promise, depth };
      this.inFlight = read;
    }
    try {
      const items = await read.promise;
      if (this.copy === null || this.copy.fetchedAtMs <= nowMs) {
        this.copy = { items, depth, fetchedAtMs: nowMs };
      }
      return { items, failure: undefined, empty: false };
    } catch (error) {
      return { items: copy?.items ?? [], failure: error, empty: copy === null };
    }
  }
}
