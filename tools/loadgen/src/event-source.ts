import { generateSynthetic, interactionRecords, type SyntheticOptions } from '@metarec/datasets';
import { SeededRng } from '@metarec/runtime';
import type { Interaction, ItemProfile, UserProfile } from '@metarec/schemas';

import { malformedPayload, MALFORMED_KINDS, validPayload, type EventPayload, type MalformedKind } from './malformed.js';

/** Options of {@link EventSource}. */
export interface EventSourceOptions {
  /** Synthetic population and stream (see `generateSynthetic`). @defaultValue `{ users: 2000, items: 1000 }` */
  readonly synthetic?: SyntheticOptions;
  /** Share of interactions sent malformed, in [0, 1]. @defaultValue `0` */
  readonly malformedFraction?: number;
  /** `now`: each event's `timestamp_ms` is the time it is built (live traffic); `original`: the generator's. @defaultValue `'now'` */
  readonly time?: 'now' | 'original';
  /** Seed of the malformed draw. @defaultValue `1` */
  readonly seed?: number;
  /** Clock, epoch ms. @defaultValue `Date.now` */
  readonly now?: () => number;
}

/** One interaction message: key (the user id), payload, and which malformation if any. */
export interface InteractionMessage extends EventPayload {
  readonly key: string;
  readonly malformed: MalformedKind | null;
}

/**
 * Synthetic events from the datasets generator: the profiles, then an endless interaction
 * stream (the generated interactions, cycled), a seeded share of them malformed (kinds in turn).
 */
export class EventSource {
  readonly users: readonly UserProfile[];
  readonly items: readonly ItemProfile[];
  private readonly interactions: readonly Interaction[];
  private readonly rng: SeededRng;
  private readonly fraction: number;
  private readonly time: 'now' | 'original';
  private readonly now: () => number;
  private cursor = 0;
  private malformedCount = 0;

  constructor(options: EventSourceOptions = {}) {
    const fraction = options.malformedFraction ?? 0;
    if (!(fraction >= 0 && fraction <= 1)) {
      throw new RangeError(`malformedFraction must be within [0, 1], got ${fraction}`);
    }
    const dataset = generateSynthetic({ users: 2_000, items: 1_000, ...options.synthetic });
    this.users = dataset.users;
    this.items = dataset.items;
    this.interactions = interactionRecords(dataset);
    this.rng = new SeededRng(options.seed ?? 1);
    this.fraction = fraction;
    this.time = options.time ?? 'now';
    this.now = options.now ?? Date.now;
  }

  /** The next `count` interaction messages. */
  next(count: number): InteractionMessage[] {
    const out: InteractionMessage[] = [];
    const nowMs = this.now();
    for (let k = 0; k < count; k += 1) {
      const base = this.interactions[this.cursor % this.interactions.length];
      this.cursor += 1;
      const event = this.time === 'now' ? { ...base, timestamp_ms: nowMs } : base;
      if (this.fraction > 0 && this.rng.next() < this.fraction) {
        const kind = MALFORMED_KINDS[this.malformedCount % MALFORMED_KINDS.length];
        this.malformedCount += 1;
        out.push({ key: event.user_id, malformed: kind, ...malformedPayload(kind, event) });
        continue;
      }
      out.push({ key: event.user_id, malformed: null, ...validPayload(event) });
    }
    return out;
  }
}
