import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { InteractionSchema, validateInteraction } from '../records/interaction.js';
import { validateItemProfile } from '../records/item-profile.js';
import { validateUserProfile } from '../records/user-profile.js';
import { FIXTURE_NOW_MS } from '../testing/record-builders.js';
import { idArbitrary, interactionArbitrary, itemProfileArbitrary, userProfileArbitrary } from '../testing/record-arbitraries.js';
import { MIN_TIMESTAMP_MS } from './validation-options.js';

const clock = { nowMs: FIXTURE_NOW_MS };
const NUM_RUNS = 200;

/** The record a validator should return for a valid input: schema keys in order, absent → null. */
function normalised(fields: readonly string[], input: object): Record<string, unknown> {
  return Object.fromEntries(fields.map((name) => [name, (input as Record<string, unknown>)[name] ?? null]));
}

/** One change that makes a valid interaction invalid, and the issue it must produce. */
interface Mutation {
  readonly apply: (record: Record<string, unknown>) => Record<string, unknown>;
  readonly code: string;
  readonly field: string;
}

const requiredFields = ['user_id', 'item_id', 'event_type', 'timestamp_ms'] as const;

const mutationArbitrary: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constantFrom(...requiredFields).map((field) => ({
    apply: (r: Record<string, unknown>) => {
      const { [field]: _removed, ...rest } = r;
      return rest;
    },
    code: 'SCHEMA_FIELD_MISSING',
    field,
  })),
  fc.record({ field: fc.constantFrom('user_id', 'item_id', 'event_type', 'session_id', 'device'), bad: fc.oneof(fc.integer(), fc.boolean(), fc.constant({}), fc.constant([])) }).map(
    ({ field, bad }) => ({ apply: (r: Record<string, unknown>) => ({ ...r, [field]: bad }), code: 'SCHEMA_FIELD_TYPE', field }),
  ),
  fc.record({ field: fc.constantFrom('value', 'timestamp_ms'), bad: fc.oneof(fc.string(), fc.boolean(), fc.constant(Number.NaN), fc.constant([1])) }).map(
    ({ field, bad }) => ({ apply: (r: Record<string, unknown>) => ({ ...r, [field]: bad }), code: 'SCHEMA_FIELD_TYPE', field }),
  ),
  fc.record({ id: idArbitrary(), at: fc.nat(), control: fc.integer({ min: 0, max: 0x9f }).filter((c) => c < 0x20 || c >= 0x7f) }).map(({ id, at, control }) => {
    const cut = at % (id.length + 1);
    const bad = id.slice(0, cut) + String.fromCharCode(control) + id.slice(cut);
    return { apply: (r: Record<string, unknown>) => ({ ...r, user_id: bad }), code: 'SCHEMA_FIELD_RANGE', field: 'user_id' };
  }),
  fc.oneof(fc.integer({ min: -1e15, max: MIN_TIMESTAMP_MS - 1 }), fc.integer({ min: FIXTURE_NOW_MS + 86_400_001, max: 1e16 })).map((ts) => ({
    apply: (r: Record<string, unknown>) => ({ ...r, timestamp_ms: ts }),
    code: 'SCHEMA_FIELD_RANGE',
    field: 'timestamp_ms',
  })),
  fc.oneof(fc.double({ max: 0.999999, noNaN: true, noDefaultInfinity: true }), fc.double({ min: 5.000001, noNaN: true, noDefaultInfinity: true })).map((value) => ({
    apply: (r: Record<string, unknown>) => ({ ...r, event_type: 'rating', value }),
    code: 'SCHEMA_FIELD_RANGE',
    field: 'value',
  })),
  fc.string({ minLength: 1, maxLength: 12 }).filter((key) => !Object.hasOwn(InteractionSchema.fields, key)).map((key) => ({
    apply: (r: Record<string, unknown>) => ({ ...r, [key]: 1 }),
    code: 'SCHEMA_UNKNOWN_FIELD',
    field: key,
  })),
);

describe('validators on random records', () => {
  it('accept every valid interaction, user profile and item profile and normalise it', () => {
    fc.assert(
      fc.property(interactionArbitrary(clock), (input) => {
        expect(validateInteraction(input, clock)).toEqual({ ok: true, record: normalised(InteractionSchema.fieldNames, input) });
      }),
      { numRuns: NUM_RUNS },
    );
    fc.assert(fc.property(userProfileArbitrary(clock), (input) => validateUserProfile(input, clock).ok), { numRuns: NUM_RUNS });
    fc.assert(fc.property(itemProfileArbitrary(clock), (input) => validateItemProfile(input, clock).ok), { numRuns: NUM_RUNS });
  });

  it('reject a valid interaction after one mutation with exactly that issue', () => {
    fc.assert(
      fc.property(interactionArbitrary(clock), mutationArbitrary, (input, mutation) => {
        const result = validateInteraction(mutation.apply({ ...input }), clock);
        expect(result.ok).toBe(false);
        if (!result.ok) {
          expect(result.error.issues).toEqual([expect.objectContaining({ code: mutation.code, field: mutation.field })]);
          expect(result.error.message).toContain(mutation.field);
        }
      }),
      { numRuns: NUM_RUNS * 2 },
    );
  });

  it('never throw on arbitrary JSON-like input', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.object()), (input) => {
        const results = [validateInteraction(input, clock), validateUserProfile(input, clock), validateItemProfile(input, clock)];
        for (const result of results) {
          expect(result.ok || result.error.issues.length > 0).toBe(true);
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
