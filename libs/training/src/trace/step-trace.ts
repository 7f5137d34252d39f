/**
 * One timed span of a meta-step, for profiling where a distributed step's time goes (publish,
 * queue latency, parameter fetch, compute, gradient store, barrier, aggregate, Adam, checkpoint).
 * Times are wall-clock epoch milliseconds with sub-ms resolution ({@link wallMs}), so spans from
 * the coordinator and from workers in the same or another process line up on one axis
 * (across machines only as well as their clocks agree).
 */
export interface TraceSpan {
  /** What ran, e.g. `coord.publish`, `worker.compute` (see the emitters for the list). */
  readonly name: string;
  readonly runId: string;
  readonly step: number;
  /** The shard, for shard-level spans. */
  readonly shard?: number;
  /** Start and end, epoch ms. */
  readonly startMs: number;
  readonly endMs: number;
}

/** Receives spans; must be cheap and must not throw (it runs on the hot path). */
export type TraceSink = (span: TraceSpan) => void;

/** Epoch milliseconds with sub-millisecond resolution (comparable across threads of a process). */
export function wallMs(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * Times `work` and reports it to `sink` as `name` (nothing is recorded without a sink; a
 * failing `work` is reported too, then rethrown).
 */
export async function traced<T>(sink: TraceSink | undefined, name: string, at: { runId: string; step: number; shard?: number }, work: () => Promise<T> | T): Promise<T> {
  if (sink === undefined) {
    return await work();
  }
  const startMs = wallMs();
  try {
    return await work();
  } finally {
    sink({ name, ...at, startMs, endMs: wallMs() });
  }
}
