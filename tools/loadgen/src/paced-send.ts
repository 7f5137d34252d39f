/** Options of {@link pacedSend}. */
export interface PacedSendOptions<T> {
  /** Total messages. */
  readonly count: number;
  /** Target rate, messages per second; `Infinity` sends as fast as the broker acknowledges. */
  readonly ratePerSec: number;
  /** Messages per send. @defaultValue `500` */
  readonly batchSize?: number;
  /** Sends awaiting their acknowledgement at once; a due batch waits only when this many are pending. @defaultValue `4` */
  readonly concurrency?: number;
  /** Builds the next `n` messages (called right before their send, so `now` timestamps are fresh). */
  next(n: number): T[];
  /** Sends one batch; resolves once acknowledged. */
  send(batch: T[]): Promise<void>;
  /** Clock and sleep, injectable for tests. @defaultValue `performance.now` and `setTimeout` */
  readonly nowMs?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** What {@link pacedSend} achieved. */
export interface PacedSendReport {
  readonly sent: number;
  readonly elapsedMs: number;
  readonly ratePerSec: number;
}

/**
 * Sends `count` messages at `ratePerSec`, scheduling each batch at the time the rate says it is
 * due (from the start, not from the previous batch), so slow sends catch up instead of drifting;
 * up to `concurrency` sends overlap, so one slow acknowledgement does not stall the schedule.
 */
export async function pacedSend<T>(options: PacedSendOptions<T>): Promise<PacedSendReport> {
  const batchSize = options.batchSize ?? 500;
  const now = options.nowMs ?? (() => performance.now());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  if (!(options.ratePerSec > 0) || !Number.isSafeInteger(options.count) || options.count < 0 || batchSize < 1) {
    throw new RangeError('pacedSend needs ratePerSec > 0, a non-negative integer count and batchSize >= 1');
  }
  const start = now();
  const concurrency = options.concurrency ?? 4;
  const inFlight = new Set<Promise<void>>();
  let sent = 0;
  while (sent < options.count) {
    if (Number.isFinite(options.ratePerSec)) {
      const waitMs = start + (sent / options.ratePerSec) * 1000 - now();
      if (waitMs > 0) {
        await sleep(waitMs);
      }
    }
    const n = Math.min(batchSize, options.count - sent);
    const work: Promise<void> = options.send(options.next(n)).then(() => void inFlight.delete(work));
    inFlight.add(work);
    sent += n;
    if (inFlight.size >= concurrency) {
      await Promise.race(inFlight);
    }
  }
  await Promise.all(inFlight);
  const elapsedMs = now() - start;
  return { sent, elapsedMs, ratePerSec: elapsedMs > 0 ? (sent * 1000) / elapsedMs : Infinity };
}
