import type { OnlineBatch } from '../online/online-store.js';
import type { OnlineSink } from './ingest-pipeline-options.js';

/**
 * Online writes per partition, in order, without making the Kafka handler wait for them: each
 * write starts when the previous write of its partition finished, so a partition's scripts reach
 * Redis in offset order (their high-water check depends on it), while the consumer fetches on
 * and the partitions' chains keep Redis busy. After a failed write the chains stop sending (a
 * later batch must never pass a failed one: its high-water offset would hide the gap forever).
 */
export class OnlineWriteQueue {
  private readonly chains = new Map<string, Promise<void>>();
  private pendingEvents = 0;
  private failure: unknown;

  /** @param onFailure called once, with the first failed write's error. */
  constructor(
    private readonly sink: OnlineSink,
    private readonly onFailure: (error: unknown) => void,
  ) {}

  /** Queues `batch` behind the earlier writes of partition `key`; `onApplied` runs once Redis acknowledged it. */
  enqueue(key: string, batch: OnlineBatch, onApplied: () => void): void {
    const previous = this.chains.get(key) ?? Promise.resolve();
    const events = batch.entries.length;
    this.pendingEvents += events;
    const run = previous
      .then(async () => {
        if (this.failure !== undefined) {
          return;
        }
        try {
          await this.sink.apply([batch]);
          onApplied();
        } catch (error) {
          this.failure = error;
          this.onFailure(error);
        }
      })
      .finally(() => {
        this.pendingEvents -= events;
      });
    this.chains.set(key, run);
  }

  /** Events queued but not yet acknowledged. */
  pending(): number {
    return this.pendingEvents;
  }

  /** True once a write failed. */
  failed(): boolean {
    return this.failure !== undefined;
  }

  /** Resolves when every write queued so far (for `keys`, or all partitions) has settled; never rejects. */
  async settled(keys?: Iterable<string>): Promise<void> {
    const chains = keys === undefined ? [...this.chains.values()] : [...keys].map((key) => this.chains.get(key) ?? Promise.resolve());
    await Promise.all(chains);
  }
}
