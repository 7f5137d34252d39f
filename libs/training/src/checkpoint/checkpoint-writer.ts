import type { Checkpoint } from './checkpoint.js';

/**
 * Writes checkpoints in the background, one at a time: `write` starts a checkpoint and returns
 * once the previous one is durable, so the write (fsyncs of ~4 parameter-sized files) overlaps the
 * next step's shards instead of stalling them. Safe because the loop replaces, never mutates, the
 * arrays a checkpoint holds. A coordinator killed before a write lands resumes from the one
 * before: the same steps are recomputed identically.
 */
export class CheckpointWriter {
  private pending: Promise<void> | null = null;

  /** @param save usually a traced `CheckpointStore.save`. */
  constructor(private readonly save: (checkpoint: Checkpoint) => Promise<void>) {}

  /** Waits for the previous write (its error surfaces here), then starts this one. */
  async write(checkpoint: Checkpoint): Promise<void> {
    await this.settle();
    const write = this.save(checkpoint);
    // Observed by settle(); until then a failure must not become an unhandled rejection.
    write.catch(() => undefined);
    this.pending = write;
  }

  /** Waits for the write in flight (if any); its error surfaces here. Called before the run's output is written. */
  async settle(): Promise<void> {
    const pending = this.pending;
    this.pending = null;
    await pending;
  }
}
