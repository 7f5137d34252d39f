import type { OnlineBatch } from '../online/online-batch.js';
import type { OnlineSink } from './ingest-pipeline-options.js';

/** Batches of one partition waiting for the write in flight, sent together once it finished. */
interface Waiting {
  readonly batches: OnlineBatch[];
  readonly onApplied: (() => void)[];
  events: number;
  readonly done: Promise<void>;
  readonly resolve: () => void;
}

interface Chain {
  running: boolean;
  waiting: Waiting | undefined;
  /** Settles once the newest write queued for the partition settled. */
  last: Promise<void>;
}

function newWaiting(): Waiting {
  let resolve: () => void = () => undefined;
  const done = new Promise<void>((r) => (resolve = r));
  return { batches: [], onApplied: [], events: 0, done, resolve };
}

/** One batch of the partition's queued batches (same kind, topic and partition, offset order). */
function merged(batches: readonly OnlineBatch[]): OnlineBatch {
  return batches.length === 1 ? batches[0] : { ...batches[0], entries: batches.flatMap((b) => b.entries) };
}

/**
 * Online writes per partition, in order, without making the Kafka handler wait for them: a
 * partition has at most one write in flight, so its scripts reach Redis in offset order (their
 * high-water check depends on it), while the consumer fetches on and the partitions' chains keep
 * Redis busy. Batches queued while a write is in flight are merged and sent as one write when it
 * finished (group commit): the busier Redis is, the larger the writes, so the Lua script folds
 * more events per user, item and bucket and fewer round trips are made; a quiet stream still
 * sends each batch at once. After a failed write the chains stop sending (a later batch must
 * never pass a failed one: its high-water offset would hide the gap forever).
 */
export class OnlineWriteQueue {
  private readonly chains = new Map<string, Chain>();
  private pendingEvents = 0;
  private failure: unknown;
  /** Callers of `below`, each with its bound, woken as writes settle. */
  private waiters: { readonly limit: number; readonly wake: () => void }[] = [];

  /** @param onFailure called once, with the first failed write's error. */
  constructor(
    private readonly sink: OnlineSink,
    private readonly onFailure: (error: unknown) => void,
  ) {}

  /** Queues `batch` behind the earlier writes of partition `key`; `onApplied` runs once Redis acknowledged it. */
  enqueue(key: string, batch: OnlineBatch, onApplied: () => void): void {
    let chain = this.chains.get(key);
    if (chain === undefined) {
      chain = { running: false, waiting: undefined, last: Promise.resolve() };
      this.chains.set(key, chain);
    }
    if (chain.waiting === undefined) {
      chain.waiting = newWaiting();
      chain.last = chain.waiting.done;
    }
    chain.waiting.batches.push(batch);
    chain.waiting.onApplied.push(onApplied);
    chain.waiting.events += batch.entries.length;
    this.pendingEvents += batch.entries.length;
    if (!chain.running) {
      chain.running = true;
      void this.pump(chain);
    }
  }

  /** Events queued but not yet acknowledged. */
  pending(): number {
    return this.pendingEvents;
  }

  /** True once a write failed. */
  failed(): boolean {
    return this.failure !== undefined;
  }

  /**
   * Resolves once at most `limit` events are pending (or a write failed); never rejects. Unlike
   * `settled`, it does not drain a partition's chain: the writes behind keep Redis busy while
   * the caller resumes (waiting for a full drain cost ~35% of ingest throughput, tools/bench
   * ingest-profile).
   */
  below(limit: number): Promise<void> {
    if (this.pendingEvents <= limit || this.failure !== undefined) {
      return Promise.resolve();
    }
    return new Promise((wake) => this.waiters.push({ limit, wake }));
  }

  /** Resolves when every write queued so far (for `keys`, or all partitions) has settled; never rejects. */
  async settled(keys?: Iterable<string>): Promise<void> {
    const chains = keys === undefined ? [...this.chains.values()] : [...keys].map((key) => this.chains.get(key));
    await Promise.all(chains.map((chain) => chain?.last));
  }

  /** Sends the partition's waiting batches, one merged write at a time, until none wait. Never rejects. */
  private async pump(chain: Chain): Promise<void> {
    for (let next = chain.waiting; next !== undefined; next = chain.waiting) {
      chain.waiting = undefined;
      try {
        if (this.failure === undefined) {
          await this.sink.apply([merged(next.batches)]);
          for (const callback of next.onApplied) {
            callback();
          }
        }
      } catch (error) {
        this.failure = error;
        this.onFailure(error);
      } finally {
        this.pendingEvents -= next.events;
        next.resolve();
        this.wakeWaiters();
      }
    }
    chain.running = false;
  }

  private wakeWaiters(): void {
    if (this.waiters.length === 0) {
      return;
    }
    const failed = this.failure !== undefined;
    const still: typeof this.waiters = [];
    for (const waiter of this.waiters) {
      if (failed || this.pendingEvents <= waiter.limit) {
        waiter.wake();
      } else {
        still.push(waiter);
      }
    }
    this.waiters = still;
  }
}
