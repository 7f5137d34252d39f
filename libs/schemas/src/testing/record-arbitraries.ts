import fc from 'fast-check';

import { ID_MAX_LENGTH, LABEL_MAX_LENGTH } from '../definition/field-builders.js';
import { INTERACTION_EVENT_TYPES, RATING_MAX, RATING_MIN, type InteractionInput } from '../records/interaction.js';
import { RELEASE_YEAR_MAX, RELEASE_YEAR_MIN, type ItemProfileInput } from '../records/item-profile.js';
import type { UserProfileInput } from '../records/user-profile.js';
import { DEFAULT_MAX_FUTURE_SKEW_MS, MIN_TIMESTAMP_MS } from '../validation/validation-options.js';

/** Clock of the generated records; pass the same `nowMs` to the validator. */
export interface ArbitraryClock {
  readonly nowMs: number;
}

// Oracle written independently of the validator's char-code loop: Unicode category Cc is
// exactly U+0000–U+001F and U+007F–U+009F.
const CONTROL = /\p{Cc}/u;

/** Any code points (astral, combining, spaces) that form a valid id or label of at most `max` UTF-16 units. */
function text(max: number): fc.Arbitrary<string> {
  return fc
    .string({ unit: 'binary', minLength: 1, maxLength: Math.min(max, 24) })
    .filter((s) => s.length <= max && s.trim() === s && !CONTROL.test(s));
}

/** A valid id (1..128 chars, trimmed, no control characters), from the full Unicode range. */
export function idArbitrary(): fc.Arbitrary<string> {
  return text(ID_MAX_LENGTH);
}

/** A valid categorical label (1..64 chars, trimmed, no control characters). */
export function labelArbitrary(): fc.Arbitrary<string> {
  return text(LABEL_MAX_LENGTH);
}

/** A valid epoch-ms timestamp for the given clock, bounds included. */
export function timestampArbitrary(clock: ArbitraryClock): fc.Arbitrary<number> {
  return fc.integer({ min: MIN_TIMESTAMP_MS, max: clock.nowMs + DEFAULT_MAX_FUTURE_SKEW_MS });
}

/** An optional value: present, explicitly null, or absent (undefined, dropped by the schema). */
function optional<T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | null | undefined> {
  return fc.oneof(arb, fc.constant(null), fc.constant(undefined));
}

const finiteDouble = (min: number, max: number): fc.Arbitrary<number> => fc.double({ min, max, noNaN: true, noDefaultInfinity: true });

/** Drops keys whose value is undefined, so "absent" really means absent. */
function compact<T extends object>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as T;
}

/** A valid interaction: ratings carry 1..5, other events an optional value ≥ 0. */
export function interactionArbitrary(clock: ArbitraryClock): fc.Arbitrary<InteractionInput> {
  const value = fc.constantFrom(...INTERACTION_EVENT_TYPES).chain((event_type) =>
    fc.record({
      event_type: fc.constant(event_type),
      value: event_type === 'rating' ? finiteDouble(RATING_MIN, RATING_MAX) : optional(finiteDouble(0, Number.MAX_VALUE)),
    }),
  );
  return fc
    .record({
      user_id: idArbitrary(),
      item_id: idArbitrary(),
      timestamp_ms: timestampArbitrary(clock),
      session_id: optional(idArbitrary()),
      device: optional(labelArbitrary()),
    })
    .chain((base) => value.map((v) => compact({ ...base, ...v }) as InteractionInput));
}

/** A valid user profile with each demographic field present, null or absent. */
export function userProfileArbitrary(clock: ArbitraryClock): fc.Arbitrary<UserProfileInput> {
  return fc
    .record({
      user_id: idArbitrary(),
      age_bucket: optional(labelArbitrary()),
      gender: optional(labelArbitrary()),
      occupation: optional(labelArbitrary()),
      region: optional(labelArbitrary()),
      updated_at_ms: timestampArbitrary(clock),
    })
    .map((r) => compact(r) as UserProfileInput);
}

/** A valid item profile: distinct categories, any finite numeric attributes (keys may be `__proto__`). */
export function itemProfileArbitrary(clock: ArbitraryClock): fc.Arbitrary<ItemProfileInput> {
  return fc
    .record({
      item_id: idArbitrary(),
      title: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }).filter((s) => s.length <= 512 && !CONTROL.test(s)),
      categories: fc.uniqueArray(labelArbitrary(), { maxLength: 8 }),
      release_year: optional(fc.integer({ min: RELEASE_YEAR_MIN, max: RELEASE_YEAR_MAX })),
      numeric_attributes: fc.dictionary(fc.oneof(labelArbitrary(), fc.constant('__proto__')), finiteDouble(-Number.MAX_VALUE, Number.MAX_VALUE), {
        maxKeys: 6,
      }),
      updated_at_ms: timestampArbitrary(clock),
    })
    .map((r) => compact(r) as ItemProfileInput);
}
