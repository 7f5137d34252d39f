/** What {@link RateLimitedLog.admit} decided for one occurrence. */
export type LogDecision = { readonly log: false } | { readonly log: true; readonly suppressed: number };

/**
 * Lets one log line per kind through per interval and counts the ones held back, so a flood of
 * one malformed kind costs one line per interval (with the count) instead of one per message.
 */
export class RateLimitedLog {
  private readonly last = new Map<string, { atMs: number; suppressed: number }>();

  /** @param intervalMs minimum time between two lines of one kind. @param now clock, epoch ms. */
  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether to log this occurrence of `kind`, and how many were suppressed since the last line. */
  admit(kind: string): LogDecision {
    const nowMs = this.now();
    const entry = this.last.get(kind);
    if (entry !== undefined && nowMs - entry.atMs < this.intervalMs) {
      entry.suppressed += 1;
      return { log: false };
    }
    this.last.set(kind, { atMs: nowMs, suppressed: 0 });
    return { log: true, suppressed: entry?.suppressed ?? 0 };
  }
}
