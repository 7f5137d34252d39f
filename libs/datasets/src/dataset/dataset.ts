import { INTERACTION_EVENT_TYPES } from '@metarec/schemas';

import type { RatingScale } from './rating-scale.js';
import type { Interaction, InteractionEventType, ItemProfile, UserProfile } from './records.js';

/**
 * Interactions as columns, one entry per event: what importers and the generator produce and
 * what the task builder consumes, so a million events are a few typed arrays rather than a
 * million objects. `userRows`/`itemRows` index the `users`/`items` arrays of the same
 * {@link Dataset}; use {@link interactionRecords} for `Interaction` records.
 */
export interface InteractionColumns {
  readonly count: number;
  /** Row in `Dataset.users` of each event's user. */
  readonly userRows: Int32Array;
  /** Row in `Dataset.items` of each event's item. */
  readonly itemRows: Int32Array;
  /** Index into {@link EVENT_TYPES} (= `INTERACTION_EVENT_TYPES` of `@metarec/schemas`). */
  readonly eventTypes: Uint8Array;
  /** Stars for ratings; quantity/value for other events; NaN = null. */
  readonly values: Float32Array;
  /** Event time, epoch ms UTC. */
  readonly timestampsMs: Float64Array;
}

/** Users, items and their interactions, in the record types of `@metarec/schemas`. */
export interface Dataset {
  readonly users: readonly UserProfile[];
  readonly items: readonly ItemProfile[];
  readonly interactions: InteractionColumns;
  /**
   * Range of the rating values (the importers and the generator record it); absent means 1–5
   * stars ({@link ratingScaleOf} resolves it).
   */
  readonly ratingScale?: RatingScale;
}

/** Event types by code, in the order of `INTERACTION_EVENT_TYPES` (view, click, rating, purchase). */
export const EVENT_TYPES: readonly InteractionEventType[] = INTERACTION_EVENT_TYPES;

/** Code of each event type in {@link InteractionColumns.eventTypes}. */
export const EVENT_TYPE_CODE = { view: 0, click: 1, rating: 2, purchase: 3 } as const satisfies Record<InteractionEventType, number>;

/**
 * Materialises `Interaction` records (one object per event: for validation, Kafka or small
 * exports; the pipeline itself stays columnar).
 */
export function interactionRecords(dataset: Dataset): Interaction[] {
  const { users, items, interactions: c } = dataset;
  const records: Interaction[] = new Array<Interaction>(c.count);
  for (let k = 0; k < c.count; k++) {
    const value = c.values[k];
    records[k] = {
      user_id: users[c.userRows[k]].user_id,
      item_id: items[c.itemRows[k]].item_id,
      event_type: EVENT_TYPES[c.eventTypes[k]],
      value: Number.isNaN(value) ? null : value,
      timestamp_ms: c.timestampsMs[k],
      session_id: null,
      device: null,
    };
  }
  return records;
}
