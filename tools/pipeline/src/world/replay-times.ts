import type { Interaction } from '@metarec/schemas';

/** Options of {@link replayTimes}. */
export interface ReplayTimesOptions {
  /** The replay window ends here, epoch ms (the pipeline: a minute before now). */
  readonly endMs: number;
  /** Width of the window the data's time span is mapped onto, ms. */
  readonly windowMs: number;
}

/** The events in replay order, their times mapped into the window, and the original span. */
export interface ReplayedEvents {
  readonly events: Interaction[];
  /** The data's own first and last event time, epoch ms (before the mapping). */
  readonly span: { readonly firstMs: number; readonly lastMs: number };
}

/**
 * Sorts `events` by event time (ties keep their input order) and maps the times linearly into
 * `[endMs - windowMs, endMs]`: order and relative gaps are kept, so ingest sees the data as it
 * happened, only faster. Why move the times at all: the online store's popularity counts a
 * trailing window of wall-clock time and expires older buckets at once (ML-100K's 1997–98
 * ratings would leave serving without popular candidates), and Kafka's time-based retention
 * would be free to delete segments whose message times are decades old.
 */
export function replayTimes(events: readonly Interaction[], options: ReplayTimesOptions): ReplayedEvents {
  const sorted = events.map((e, k) => [e, k] as const).sort((a, b) => a[0].timestamp_ms - b[0].timestamp_ms || a[1] - b[1]).map(([e]) => e);
  const firstMs = sorted[0]?.timestamp_ms ?? 0;
  const lastMs = sorted.at(-1)?.timestamp_ms ?? 0;
  const span = Math.max(1, lastMs - firstMs);
  const startMs = options.endMs - options.windowMs;
  return {
    events: sorted.map((e) => ({ ...e, timestamp_ms: Math.round(startMs + ((e.timestamp_ms - firstMs) / span) * options.windowMs) })),
    span: { firstMs, lastMs },
  };
}
