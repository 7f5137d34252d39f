/** A partition that has messages to read but made no progress for the stall limit. */
export interface StuckPartition {
  readonly topic: string;
  readonly partition: number;
  /** Messages behind the log end at the last batch seen. */
  readonly lag: number;
  /** Since the partition last advanced (or since messages arrived after it was caught up), ms. */
  readonly stalledMs: number;
  /** Batches of it that failed since it last advanced (each is redelivered). */
  readonly failedBatches: number;
}

interface Progress {
  readonly topic: string;
  readonly partition: number;
  lag: number;
  /** When the stall clock started: the last advance, or when lag rose from 0. */
  sinceMs: number;
  failedBatches: number;
}

function keyOf(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}

/**
 * Per-partition lag and progress, so a partition whose batch fails on every redelivery (a poison
 * message) shows up instead of hiding behind a lag last updated on success (issue 17, defect 2).
 */
export class PartitionProgress {
  private readonly partitions = new Map<string, Progress>();

  constructor(
    private readonly stuckAfterMs: number,
    private readonly now: () => number,
  ) {}

  /** A batch was fetched: `lag` messages (this batch's unhandled ones included) are behind the log end. */
  fetched(topic: string, partition: number, lag: number): void {
    const nowMs = this.now();
    const entry = this.partitions.get(keyOf(topic, partition));
    if (entry === undefined) {
      this.partitions.set(keyOf(topic, partition), { topic, partition, lag, sinceMs: nowMs, failedBatches: 0 });
      return;
    }
    if (entry.lag === 0 && lag > 0) {
      entry.sinceMs = nowMs; // caught up until now: the wait starts here, not at the last advance
    }
    entry.lag = lag;
  }

  /** The partition's batch was handled; `lag` messages remain behind the log end. */
  advanced(topic: string, partition: number, lag: number): void {
    this.partitions.set(keyOf(topic, partition), { topic, partition, lag, sinceMs: this.now(), failedBatches: 0 });
  }

  /** The partition's batch failed (it will be redelivered). */
  failed(topic: string, partition: number): void {
    const entry = this.partitions.get(keyOf(topic, partition));
    if (entry !== undefined) {
      entry.failedBatches += 1;
    }
  }

  /** Forgets a partition this instance no longer owns. */
  forget(topic: string, partition: number): void {
    this.partitions.delete(keyOf(topic, partition));
  }

  /** Every tracked partition with whether it is stuck now. */
  all(): readonly { readonly topic: string; readonly partition: number; readonly lag: number; readonly stuck: boolean }[] {
    const nowMs = this.now();
    return [...this.partitions.values()].map((p) => ({ topic: p.topic, partition: p.partition, lag: p.lag, stuck: this.isStuck(p, nowMs) }));
  }

  /** Partitions with lag > 0 and no progress for at least the stall limit. */
  stuck(): StuckPartition[] {
    const nowMs = this.now();
    return [...this.partitions.values()]
      .filter((p) => this.isStuck(p, nowMs))
      .map((p) => ({ topic: p.topic, partition: p.partition, lag: p.lag, stalledMs: nowMs - p.sinceMs, failedBatches: p.failedBatches }));
  }

  private isStuck(p: Progress, nowMs: number): boolean {
    return p.lag > 0 && nowMs - p.sinceMs >= this.stuckAfterMs;
  }
}
