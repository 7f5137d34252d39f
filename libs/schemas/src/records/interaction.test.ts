import { describe, expect, it } from 'vitest';

import { FIXTURE_NOW_MS, makeInteraction } from '../testing/record-builders.js';
import { parseInteraction, validateInteraction } from './interaction.js';

const options = { nowMs: FIXTURE_NOW_MS };

function errorOf(input: unknown): { code: string; field: string; message: string } {
  const result = validateInteraction(input, options);
  if (result.ok) {
    throw new Error(`expected ${JSON.stringify(input)} to be rejected`);
  }
  return { code: result.error.code, field: result.error.field, message: result.error.message };
}

describe('validateInteraction', () => {
  it('accepts a rating and fills absent optional fields with null', () => {
    const result = validateInteraction({ user_id: 'u', item_id: 'i', event_type: 'rating', value: 3.5, timestamp_ms: FIXTURE_NOW_MS }, options);
    expect(result).toEqual({
      ok: true,
      record: { user_id: 'u', item_id: 'i', event_type: 'rating', value: 3.5, timestamp_ms: FIXTURE_NOW_MS, session_id: null, device: null },
    });
  });

  it('accepts view, click and purchase events without a value', () => {
    for (const event_type of ['view', 'click', 'purchase']) {
      expect(validateInteraction(makeInteraction({ event_type, value: undefined }), options).ok).toBe(true);
    }
  });

  it('requires a value within 1..5 for ratings', () => {
    expect(errorOf(makeInteraction({ value: null }))).toMatchObject({ code: 'SCHEMA_FIELD_MISSING', field: 'value' });
    expect(errorOf(makeInteraction({ value: 0.5 }))).toMatchObject({ code: 'SCHEMA_FIELD_RANGE', field: 'value' });
    expect(errorOf(makeInteraction({ value: 5.01 }))).toMatchObject({ code: 'SCHEMA_FIELD_RANGE', field: 'value' });
    expect(errorOf(makeInteraction({ value: 7 })).message).toContain('between 1 and 5 when event_type is "rating", got 7');
  });

  it('rejects a negative value for non-rating events', () => {
    expect(errorOf(makeInteraction({ event_type: 'purchase', value: -1 }))).toMatchObject({ code: 'SCHEMA_FIELD_RANGE', field: 'value' });
  });

  it('names the missing required field', () => {
    const { user_id: _dropped, ...rest } = makeInteraction();
    expect(errorOf(rest)).toMatchObject({ code: 'SCHEMA_FIELD_MISSING', field: 'user_id' });
    expect(errorOf(makeInteraction({ item_id: null }))).toMatchObject({ code: 'SCHEMA_FIELD_MISSING', field: 'item_id' });
  });

  it('does not coerce types', () => {
    expect(errorOf(makeInteraction({ value: '4' }))).toMatchObject({ code: 'SCHEMA_FIELD_TYPE', field: 'value' });
    expect(errorOf(makeInteraction({ user_id: 42 }))).toMatchObject({ code: 'SCHEMA_FIELD_TYPE', field: 'user_id' });
    expect(errorOf(makeInteraction({ timestamp_ms: '2025-01-01' }))).toMatchObject({ code: 'SCHEMA_FIELD_TYPE', field: 'timestamp_ms' });
    expect(errorOf(makeInteraction({ value: Number.NaN }))).toMatchObject({ code: 'SCHEMA_FIELD_TYPE', field: 'value' });
  });

  it('rejects unknown event types', () => {
    expect(errorOf(makeInteraction({ event_type: 'like' }))).toMatchObject({ code: 'SCHEMA_FIELD_RANGE', field: 'event_type' });
  });

  it('rejects timestamps in seconds, in microseconds, and more than a day ahead of the clock', () => {
    expect(errorOf(makeInteraction({ timestamp_ms: Math.floor(FIXTURE_NOW_MS / 1000) }))).toMatchObject({ code: 'SCHEMA_FIELD_RANGE', field: 'timestamp_ms' });
    expect(errorOf(makeInteraction({ timestamp_ms: FIXTURE_NOW_MS * 1000 }))).toMatchObject({ code: 'SCHEMA_FIELD_RANGE', field: 'timestamp_ms' });
    expect(errorOf(makeInteraction({ timestamp_ms: FIXTURE_NOW_MS + 86_400_001 }))).toMatchObject({ code: 'SCHEMA_FIELD_RANGE' });
    expect(validateInteraction(makeInteraction({ timestamp_ms: FIXTURE_NOW_MS + 86_400_000 }), options).ok).toBe(true);
    expect(errorOf(makeInteraction({ timestamp_ms: FIXTURE_NOW_MS + 0.5 }))).toMatchObject({ code: 'SCHEMA_FIELD_TYPE' });
  });

  it('rejects ids that are empty, too long, padded or contain control characters', () => {
    for (const user_id of ['', 'x'.repeat(129), ' u1', 'u1\n', 'u\u00001', 'u\u0085']) {
      expect(errorOf(makeInteraction({ user_id }))).toMatchObject({ code: 'SCHEMA_FIELD_RANGE', field: 'user_id' });
    }
    expect(validateInteraction(makeInteraction({ user_id: 'x'.repeat(128) }), options).ok).toBe(true);
  });

  it('rejects unknown fields by default and drops them under unknownFields: strip', () => {
    const input = { ...makeInteraction(), sessionId: 'typo' };
    expect(errorOf(input)).toMatchObject({ code: 'SCHEMA_UNKNOWN_FIELD', field: 'sessionId' });
    const stripped = validateInteraction(input, { ...options, unknownFields: 'strip' });
    expect(stripped.ok && Object.keys(stripped.record)).toEqual(['user_id', 'item_id', 'event_type', 'value', 'timestamp_ms', 'session_id', 'device']);
  });

  it('rejects non-objects as a whole record', () => {
    for (const input of [null, 'x', 42, [makeInteraction()], new Date()]) {
      expect(errorOf(input)).toMatchObject({ code: 'SCHEMA_RECORD_TYPE', field: '' });
    }
  });

  it('reports every issue, first one first', () => {
    const result = validateInteraction({ user_id: '', event_type: 'rating', value: 'x', timestamp_ms: 1, extra: true }, options);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.issues.map((i) => `${i.code}:${i.field}`)).toEqual([
      'SCHEMA_FIELD_RANGE:user_id',
      'SCHEMA_FIELD_MISSING:item_id',
      'SCHEMA_FIELD_TYPE:value',
      'SCHEMA_FIELD_RANGE:timestamp_ms',
      'SCHEMA_UNKNOWN_FIELD:extra',
    ]);
  });

  it('throws SCHEMA_OPTIONS_INVALID for a non-finite clock (a caller bug, not bad data)', () => {
    expect(() => validateInteraction(makeInteraction(), { nowMs: Number.NaN })).toThrow(expect.objectContaining({ code: 'SCHEMA_OPTIONS_INVALID' }));
  });

  it('parseInteraction throws the validation error', () => {
    expect(() => parseInteraction(makeInteraction({ value: 9 }), options)).toThrow(expect.objectContaining({ name: 'SchemaValidationError', code: 'SCHEMA_FIELD_RANGE', field: 'value' }));
    expect(parseInteraction(makeInteraction(), options).user_id).toBe('user-1');
  });
});
