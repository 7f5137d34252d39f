import { describe, expect, it } from 'vitest';

import { FIXTURE_NOW_MS, makeUserProfile } from '../testing/record-builders.js';
import { validateUserProfile } from './user-profile.js';

const options = { nowMs: FIXTURE_NOW_MS };

describe('validateUserProfile', () => {
  it('accepts a profile with only an id and a timestamp (a brand-new user)', () => {
    const result = validateUserProfile({ user_id: 'u7', updated_at_ms: FIXTURE_NOW_MS }, options);
    expect(result).toEqual({
      ok: true,
      record: { user_id: 'u7', age_bucket: null, gender: null, occupation: null, region: null, updated_at_ms: FIXTURE_NOW_MS },
    });
  });

  it('accepts a complete profile', () => {
    expect(validateUserProfile(makeUserProfile(), options).ok).toBe(true);
  });

  it('rejects labels that are empty, too long or padded', () => {
    for (const occupation of ['', 'o'.repeat(65), 'engineer ']) {
      const result = validateUserProfile(makeUserProfile({ occupation }), options);
      expect(!result.ok && [result.error.code, result.error.field]).toEqual(['SCHEMA_FIELD_RANGE', 'occupation']);
    }
  });

  it('rejects a missing updated_at_ms', () => {
    const result = validateUserProfile(makeUserProfile({ updated_at_ms: undefined }), options);
    expect(!result.ok && [result.error.code, result.error.field]).toEqual(['SCHEMA_FIELD_MISSING', 'updated_at_ms']);
  });
});
