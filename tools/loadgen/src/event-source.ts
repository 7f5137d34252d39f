import { generateSynthetic, interactionRecords, type SyntheticOptions } from '@metarec/datasets';
import { SeededRng } from '@metarec/runtime';
import { encodeRecord, InteractionSchema, type Interaction, type ItemProfile, type UserProfile, type WireHeaders } from '@metarec/schemas';
import { malformedInteraction, MALFORMED_EVENT_NAMES, type MalformedEventName } from '@metarec/schemas/testing';

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

/** One interaction message as the wire contract encodes it, and which corpus malformation if any. */
export interface InteractionMessage {
  /** The user id (the wire contract's key). */
  readonly key: string;
  /** JSON payload; bytes or `null` for the malformations that break the payload itself. */
  readonly value: string | Buffer | null;
  readonly headers: WireHeaders;
  /** The case of the shared malformed corpus (`@metarec/schemas/testing`), `null` for a valid event. */
  readonly malformed: MalformedEventName | null;
}

/**
 * Synthetic events from the datasets generator: the profiles, then an endless interaction
 * stream (the generated interactions, cycled), a seeded share of them broken by the shared
 * malformed corpus (its cases in turn).
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
        const name = MALFORMED_EVENT_NAMES[this.malformedCount % MALFORMED_EVENT_NAMES.length];
        this.malformedCount += 1;
        out.push({ ...malformedInteraction(name, event).message, malformed: name });
        continue;
      }
      const { key, value, headers } = encodeRecord(InteractionSchema, event);
      out.push({ key, value, headers, malformed: null });
    }
    return out;
  }
}
