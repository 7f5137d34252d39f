import type { Interaction } from '@metarec/schemas';

import { requireInt } from '../errors.js';
import { mergeOptions } from '@metarec/runtime';

/** Options of {@link PendingInteractions}. */
export interface PendingInteractionsOptions {
  /**
   * How long accepted feedback is overlaid on the store's view: the time the event takes through
   * Kafka and ingest into Redis, with margin. @defaultValue 120_000 (2 min)
   */
  readonly ttlMs?: number;
  /** Pending events kept per user (newest win). @defaultValue 50 */
  readonly maxPerUser?: number;
  /** Users tracked (oldest dropped beyond). @defaultValue 100_000 */
  readonly maxUsers?: number;
  /** Clock, epoch ms. @defaultValue `Date.now` */
  readonly now?: () => number;
}

/** Defaults laid under {@link PendingInteractionsOptions}. */
export const DEFAULT_PENDING_INTERACTIONS_OPTIONS: Required<Omit<PendingInteractionsOptions, 'now'>> = { ttlMs: 120_000, maxPerUser: 50, maxUsers: 100_000 };

interface Pending {
  readonly event: Interaction;
  readonly addedAtMs: number;
}

function sameEvent(a: Interaction, b: Interaction): boolean {
  return a.item_id === b.item_id && a.timestamp_ms === b.timestamp_ms && a.event_type === b.event_type;
}

/**
 * Feedback this pod accepted that the online store may not show yet (it travels Kafka → ingest →
 * Redis). Merged into the store's view of the user, so the very next request adapts to it. An
 * event leaves the overlay once the store returns it, or after the TTL.
 */
export class PendingInteractions {
  private readonly users = new Map<string, Pending[]>();
  private readonly o: typeof DEFAULT_PENDING_INTERACTIONS_OPTIONS & { now: () => number };

  /** @throws ServingError `SERVING_OPTIONS_INVALID`. */
  constructor(options: PendingInteractionsOptions = {}) {
    this.o = mergeOptions({ ...DEFAULT_PENDING_INTERACTIONS_OPTIONS, now: Date.now }, options);
    requireInt('ttlMs', this.o.ttlMs, 1);
    requireInt('maxPerUser', this.o.maxPerUser, 1);
    requireInt('maxUsers', this.o.maxUsers, 1);
  }

  add(event: Interaction): void {
    const list = (this.users.get(event.user_id) ?? []).filter((p) => !sameEvent(p.event, event));
    list.push({ event, addedAtMs: this.o.now() });
    this.users.delete(event.user_id);
    this.users.set(event.user_id, list.slice(-this.o.maxPerUser));
    if (this.users.size > this.o.maxUsers) {
      this.users.delete(this.users.keys().next().value as string);
    }
  }

  /** `stored` (newest first) plus the user's pending events it does not contain yet, newest first. */
  merge(userId: string, stored: readonly Interaction[]): readonly Interaction[] {
    const list = this.users.get(userId);
    if (list === undefined) {
      return stored;
    }
    const now = this.o.now();
    const live = list.filter((p) => now - p.addedAtMs < this.o.ttlMs && !stored.some((s) => sameEvent(s, p.event)));
    if (live.length === 0) {
      this.users.delete(userId);
      return stored;
    }
    this.users.set(userId, live);
    return [...live.map((p) => p.event), ...stored].sort((a, b) => b.timestamp_ms - a.timestamp_ms);
  }
}
