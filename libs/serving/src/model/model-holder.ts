/** What a `ModelHolder` holds: anything with a version and device memory to free. */
export interface HeldModel {
  readonly version: number;
  dispose(): void;
}

/** A request's claim on a model: the model stays alive until `release()`. */
export interface ModelLease<M extends HeldModel> {
  readonly model: M;
  /** Ends the claim; safe to call twice. */
  release(): void;
}

interface Slot<M extends HeldModel> {
  readonly model: M;
  leases: number;
  retired: boolean;
}

/**
 * Hot-swap holder. Requests `acquire()` the current model and `release()` it when done; `swap()`
 * installs a new model in one assignment (a request sees the old or the new one, never a mix)
 * and disposes the old one as soon as the last request that holds it releases it — so a swap
 * neither fails nor waits for in-flight requests, and no tensor is freed under a request.
 */
export class ModelHolder<M extends HeldModel> {
  private current: Slot<M> | null = null;
  private readonly retiring = new Set<Slot<M>>();
  private closed = false;

  /** The serving model, or null before the first load (readiness is false then). */
  get model(): M | null {
    return this.current?.model ?? null;
  }

  /** Models swapped out but still held by in-flight requests. */
  get retiringCount(): number {
    return this.retiring.size;
  }

  /** Claims the current model for one request; null before the first load or after `close`. */
  acquire(): ModelLease<M> | null {
    const slot = this.current;
    if (slot === null || this.closed) {
      return null;
    }
    slot.leases += 1;
    let released = false;
    return {
      model: slot.model,
      release: (): void => {
        if (released) {
          return;
        }
        released = true;
        slot.leases -= 1;
        this.disposeIfIdle(slot);
      },
    };
  }

  /**
   * Makes `next` the serving model. The previous one is disposed now if idle, else when its last
   * lease is released. Returns the previous model's version (null on the first load).
   */
  swap(next: M): number | null {
    if (this.closed) {
      next.dispose();
      return null;
    }
    const previous = this.current;
    this.current = { model: next, leases: 0, retired: false };
    if (previous === null) {
      return null;
    }
    previous.retired = true;
    this.retiring.add(previous);
    this.disposeIfIdle(previous);
    return previous.model.version;
  }

  /** Refuses new leases and disposes the current model (and retired ones as their leases end). */
  close(): void {
    if (this.closed) {
      return;
    }
    this.closed = true;
    const slot = this.current;
    if (slot !== null) {
      slot.retired = true;
      this.retiring.add(slot);
      this.disposeIfIdle(slot);
    }
  }

  private disposeIfIdle(slot: Slot<M>): void {
    if (slot.retired && slot.leases === 0 && this.retiring.delete(slot)) {
      slot.model.dispose();
    }
  }
}
