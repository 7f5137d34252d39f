import { describe, expect, it } from 'vitest';

import { InteractionSchema, parseInteraction } from '../records/interaction.js';
import { ItemProfileSchema, parseItemProfile } from '../records/item-profile.js';
import { parseUserProfile, UserProfileSchema } from '../records/user-profile.js';
import { FIXTURE_NOW_MS, makeInteraction, makeItemProfile, makeUserProfile } from '../testing/record-builders.js';
import { decodeRecord } from './decode-record.js';
import { encodeRecord, wireKeyOf } from './encode-record.js';
import { SCHEMA_FINGERPRINT_HEADER, SCHEMA_VERSION_HEADER } from './wire-headers.js';

const NOW = { nowMs: FIXTURE_NOW_MS };
const bytes = (value: string): Buffer => Buffer.from(value);

describe('encodeRecord', () => {
  it('round-trips an interaction, keyed by user, with the version and fingerprint headers', () => {
    const event = parseInteraction(makeInteraction(), NOW);
    const message = encodeRecord(InteractionSchema, event);
    expect(message.key).toBe('user-1');
    expect(message.headers).toEqual({ [SCHEMA_VERSION_HEADER]: '1', [SCHEMA_FINGERPRINT_HEADER]: InteractionSchema.fingerprint });
    expect(decodeRecord(InteractionSchema, { key: message.key, value: bytes(message.value), headers: message.headers }, NOW)).toEqual({ ok: true, record: event, json: message.value });
  });

  it('round-trips user profiles keyed by user and item profiles keyed by item', () => {
    const user = parseUserProfile(makeUserProfile({ user_id: 'u-7' }), NOW);
    const item = parseItemProfile(makeItemProfile({ item_id: 'i-9' }), NOW);
    const userMessage = encodeRecord(UserProfileSchema, user);
    const itemMessage = encodeRecord(ItemProfileSchema, item);
    expect([userMessage.key, itemMessage.key]).toEqual(['u-7', 'i-9']);
    expect(userMessage.headers[SCHEMA_FINGERPRINT_HEADER]).toBe(UserProfileSchema.fingerprint);
    expect(decodeRecord(UserProfileSchema, { key: userMessage.key, value: bytes(userMessage.value), headers: userMessage.headers }, NOW)).toMatchObject({ ok: true, record: user });
    expect(decodeRecord(ItemProfileSchema, { key: itemMessage.key, value: bytes(itemMessage.value), headers: itemMessage.headers }, NOW)).toMatchObject({ ok: true, record: item });
  });

  it("keeps the caller's headers and timestamp, but never lets them override the contract's", () => {
    const event = parseInteraction(makeInteraction(), NOW);
    const message = encodeRecord(InteractionSchema, event, { timestampMs: event.timestamp_ms, headers: { 'metarec-run-id': 'r1', [SCHEMA_VERSION_HEADER]: '9' } });
    expect(message.timestampMs).toBe(event.timestamp_ms);
    expect(message.headers).toMatchObject({ 'metarec-run-id': 'r1', [SCHEMA_VERSION_HEADER]: '1' });
  });

  it('refuses a record whose key field is not a string', () => {
    expect(() => wireKeyOf(InteractionSchema, { user_id: null })).toThrow(expect.objectContaining({ code: 'SCHEMA_OPTIONS_INVALID' }));
  });
});
