import { describe, expect, it } from 'vitest';

import { InteractionSchema, parseInteraction } from '../records/interaction.js';
import { ItemProfileSchema } from '../records/item-profile.js';
import { UserProfileSchema } from '../records/user-profile.js';
import { malformedInteractions, MALFORMED_EVENT_NAMES, oversizedInteraction } from '../testing.js';
import { FIXTURE_NOW_MS, makeInteraction, makeItemProfile } from '../testing/record-builders.js';
import { decodeRecord, type WireInput } from './decode-record.js';
import { SCHEMA_VERSION_HEADER, wireHeaders } from './wire-headers.js';

const OPTIONS = { maxMessageBytes: 1_000, nowMs: FIXTURE_NOW_MS };
const event = parseInteraction(makeInteraction(), { nowMs: FIXTURE_NOW_MS });

function input(value: Buffer | string | null, headers: Readonly<Record<string, string>> = wireHeaders(InteractionSchema), key: string | null = event.user_id): WireInput {
  return { key, value: typeof value === 'string' ? Buffer.from(value) : value, headers };
}

describe('decodeRecord', () => {
  it('reads a message of a producer that predates the fingerprint header (version header only)', () => {
    const text = JSON.stringify(event);
    expect(decodeRecord(InteractionSchema, input(text, { [SCHEMA_VERSION_HEADER]: '1' }), OPTIONS)).toEqual({ ok: true, record: event, json: text });
  });

  it('drops a UTF-8 byte-order mark from the text it hands back (stored as is, it would break JSON.parse)', () => {
    const text = JSON.stringify(event);
    expect(decodeRecord(InteractionSchema, input(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])), OPTIONS)).toMatchObject({ ok: true, json: text });
  });

  it.each(malformedInteractions(event).map((m) => [m.name, m] as const))('rejects the malformed corpus case %s with its reason and field', (_name, malformed) => {
    const result = decodeRecord(InteractionSchema, input(malformed.message.value, malformed.message.headers, malformed.message.key), OPTIONS);
    expect(result).toMatchObject({ ok: false, reason: malformed.reason, field: malformed.field });
  });

  it('has a corpus with one case per name, each a distinct producer bug', () => {
    const corpus = malformedInteractions(event);
    expect(corpus.map((m) => m.name)).toEqual([...MALFORMED_EVENT_NAMES]);
    expect(new Set(corpus.map((m) => m.label)).size).toBe(corpus.length);
  });

  it('rejects a payload over the size limit before parsing it', () => {
    const oversized = oversizedInteraction(event, 1_001);
    expect(decodeRecord(InteractionSchema, input(oversized.message.value, oversized.message.headers), OPTIONS)).toMatchObject({ ok: false, reason: 'FS_MESSAGE_TOO_LARGE', field: '' });
    expect(decodeRecord(InteractionSchema, input(oversized.message.value, oversized.message.headers), { ...OPTIONS, maxMessageBytes: 1_001 })).toMatchObject({ reason: 'FS_INVALID_JSON' });
  });

  it('rejects a message of another schema by its fingerprint even when the version number matches', () => {
    const result = decodeRecord(InteractionSchema, input(JSON.stringify(event), wireHeaders(UserProfileSchema)), OPTIONS);
    expect(result).toMatchObject({ ok: false, reason: 'SCHEMA_FINGERPRINT_MISMATCH' });
  });

  it("rejects a message whose Kafka key is not the record's key field (its partition, so its order, would be another user's)", () => {
    const text = JSON.stringify(event);
    expect(decodeRecord(InteractionSchema, input(text, undefined, 'u-other'), OPTIONS)).toMatchObject({ ok: false, reason: 'SCHEMA_KEY_MISMATCH', field: 'user_id' });
    expect(decodeRecord(InteractionSchema, input(text, undefined, null), OPTIONS)).toMatchObject({ ok: false, reason: 'SCHEMA_KEY_MISMATCH', field: 'user_id' });
    const item = makeItemProfile();
    const itemInput = { key: 'another-item', value: Buffer.from(JSON.stringify(item)), headers: wireHeaders(ItemProfileSchema) };
    expect(decodeRecord(ItemProfileSchema, itemInput, OPTIONS)).toMatchObject({ ok: false, reason: 'SCHEMA_KEY_MISMATCH', field: 'item_id' });
    expect(decodeRecord(ItemProfileSchema, { ...itemInput, key: String(item.item_id) }, OPTIONS)).toMatchObject({ ok: true });
  });

  it.each([
    ['a second user_id (first-key-wins readers would see another user)', `{"user_id":"attacker",${JSON.stringify(event).slice(1)}`, 'user_id'],
    ['a duplicate spelled with an escape', `{"\\u0075ser_id":"attacker",${JSON.stringify(event).slice(1)}`, 'user_id'],
    ['a duplicate inside a nested object', JSON.stringify(event).replace('"device":"ios"', '"device":{"a":1,"a":2}'), 'device.a'],
  ])('rejects a payload with duplicate JSON keys: %s', (_name, text, field) => {
    expect(decodeRecord(InteractionSchema, input(text), OPTIONS)).toMatchObject({ ok: false, reason: 'SCHEMA_DUPLICATE_KEY', field });
  });

  it('hands back the canonical JSON of the record (schema field order, no whitespace), not the received text', () => {
    const shuffled = Object.fromEntries(Object.entries(event).reverse());
    const text = JSON.stringify(shuffled, null, 2).replace('"rating"', '"\\u0072ating"');
    const result = decodeRecord(InteractionSchema, input(text), OPTIONS);
    expect(result).toEqual({ ok: true, record: event, json: JSON.stringify(event) });
  });
});
