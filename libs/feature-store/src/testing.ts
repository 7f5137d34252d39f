// Second entry point, `@metarec/feature-store/testing`: record builders for tests only.
import type { Interaction, ItemProfile, UserProfile } from '@metarec/schemas';

/** 2026-03-01T12:00:00Z: a fixed, valid event time for tests. */
export const TEST_TIME_MS = Date.UTC(2026, 2, 1, 12);

/** A valid interaction; override any field. */
export function makeInteraction(overrides: Partial<Interaction> = {}): Interaction {
  return {
    user_id: 'u1',
    item_id: 'i1',
    event_type: 'rating',
    value: 4,
    timestamp_ms: TEST_TIME_MS,
    session_id: null,
    device: null,
    ...overrides,
  };
}

/** A valid user profile; override any field. */
export function makeUserProfile(overrides: Partial<UserProfile> = {}): UserProfile {
  return { user_id: 'u1', age_bucket: '25-34', gender: null, occupation: null, region: null, updated_at_ms: TEST_TIME_MS, ...overrides };
}

/** A valid item profile; override any field. */
export function makeItemProfile(overrides: Partial<ItemProfile> = {}): ItemProfile {
  return {
    item_id: 'i1',
    title: 'Item one',
    categories: ['drama'],
    release_year: 1999,
    numeric_attributes: {},
    updated_at_ms: TEST_TIME_MS,
    ...overrides,
  };
}
