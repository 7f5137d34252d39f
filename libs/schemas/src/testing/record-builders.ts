/**
 * Test data builders for `@metarec/schemas` records. Only `makeInteraction` is part of the
 * `@metarec/schemas/testing` entry; the rest serve this lib's own tests.
 * Every builder returns a record that passes validation at {@link FIXTURE_NOW_MS}; pass
 * overrides to make the one field a test is about differ.
 */
import type { InteractionInput } from '../records/interaction.js';
import type { ItemProfileInput } from '../records/item-profile.js';
import type { UserProfileInput } from '../records/user-profile.js';

/** The clock fixtures are valid against: 2026-01-01T00:00:00Z. Pass it as `nowMs`. */
export const FIXTURE_NOW_MS = Date.UTC(2026, 0, 1);

/** A valid rating interaction one hour before {@link FIXTURE_NOW_MS}. */
export function makeInteraction(overrides: Partial<Record<keyof InteractionInput, unknown>> = {}): InteractionInput {
  return {
    user_id: 'user-1',
    item_id: 'item-1',
    event_type: 'rating',
    value: 4,
    timestamp_ms: FIXTURE_NOW_MS - 3_600_000,
    session_id: 'session-1',
    device: 'ios',
    ...overrides,
  } as InteractionInput;
}

/** A valid user profile with every demographic field set. */
export function makeUserProfile(overrides: Partial<Record<keyof UserProfileInput, unknown>> = {}): UserProfileInput {
  return {
    user_id: 'user-1',
    age_bucket: '25-34',
    gender: 'F',
    occupation: 'engineer',
    region: '941',
    updated_at_ms: FIXTURE_NOW_MS - 86_400_000,
    ...overrides,
  } as UserProfileInput;
}

/** A valid item profile (Toy Story, as MovieLens describes it). */
export function makeItemProfile(overrides: Partial<Record<keyof ItemProfileInput, unknown>> = {}): ItemProfileInput {
  return {
    item_id: 'item-1',
    title: 'Toy Story (1995)',
    categories: ['Animation', "Children's", 'Comedy'],
    release_year: 1995,
    numeric_attributes: { runtime_min: 81 },
    updated_at_ms: FIXTURE_NOW_MS - 86_400_000,
    ...overrides,
  } as ItemProfileInput;
}
