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
  /**
   * A batch whose send failed (e.g. the broker restarting) is retried with backoff for this long
   * from its first attempt; then it counts as failed and the run goes on. @defaultValue `60_000`
   */
  readonly retryForMs?: number;
  /** Called on each failed attempt, for logging. @defaultValue none */
  readonly onSendError?: (error: unknown, attempt: number) => void;
  /** Clock and sleep, injectable for tests. @defaultValue `performance.now` and `setTimeout` */
  readonly nowMs?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** What {@link pacedSend} achieved. */
export interface PacedSendReport {
  /** Messages acknowledged. */
  readonly sent: number;
  /** Messages of batches given up on after `retryForMs`. */
  readonly failed: number;
  /** Failed send attempts that were retried. */
  readonly retries: number;
  /** The last send error's message, if any attempt failed. */
  readonly lastError?: string;
  readonly elapsedMs: number;
  readonly ratePerSec: number;
}

/** First backoff after a failed send, ms; doubles up to {@link MAX_BACKOFF_MS}. */
const FIRST_BACKOFF_MS = 100;
/** Longest wait between attempts: a restarting broker answers within about a second of being up. */
const MAX_BACKOFF_MS = 2_000;

/**
 * Sends `count` messages at `ratePerSec`, scheduling each batch at the time the rate says it is
 * due (from the start, not from the previous batch), so slow sends catch up instead of drifting;
 * up to `concurrency` sends overlap, so one slow acknowledgement does not stall the schedule.
 * A failed send is retried (same batch, backoff) for `retryForMs`, then reported as failed: the
 * run never ends on a send error, it says how many messages did not make it.
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
  const retryForMs = options.retryForMs ?? 60_000;
  let acknowledged = 0;
  let failed = 0;
  let retries = 0;
  let lastError: string | undefined;
  const sendWithRetry = async (batch: T[]): Promise<void> => {
    const firstMs = now();
    let backoffMs = FIRST_BACKOFF_MS;
    for (let attempt = 1; ; attempt += 1) {
      try {
        await options.send(batch);
        acknowledged += batch.length;
        return;
      } catch (error) {
        lastError = error instanceof Error ? error.message : String(error);
        options.onSendError?.(error, attempt);
        if (now() - firstMs + backoffMs > retryForMs) {
          failed += batch.length;
          return;
        }
        retries += 1;
        await sleep(backoffMs);
        backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
      }
    }
  };
  let sent = 0;
  while (sent < options.count) {
    if (Number.isFinite(options.ratePerSec)) {
      const waitMs = start + (sent / options.ratePerSec) * 1000 - now();
      if (waitMs > 0) {
        await sleep(waitMs);
      }
    }
    const n = Math.min(batchSize, options.count - sent);
    const work: Promise<void> = sendWithRetry(options.next(n)).then(() => void inFlight.delete(work));
    inFlight.add(work);
    sent += n;
    if (inFlight.size >= concurrency) {
      await Promise.race(inFlight);
    }
  }
  await Promise.all(inFlight);
  const elapsedMs = now() - start;
  const report = { sent: acknowledged, failed, retries, elapsedMs, ratePerSec: elapsedMs > 0 ? (acknowledged * 1000) / elapsedMs : Infinity };
  return lastError === undefined ? report : { ...report, lastError };
}
